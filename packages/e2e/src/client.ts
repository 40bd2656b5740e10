// A tiny typed client for the public REST contract (shared/API.md), plain fetch.

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

export interface Account {
  id: string;
  username: string;
  email: string;
  createdAt: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: "Bearer";
  expiresIn: number;
}

export interface Profile {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  followersCount: number;
  followingCount: number;
  imagesCount: number;
  createdAt: string;
  followedByMe: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageQuery {
  limit?: number | string;
  cursor?: string;
}

export interface Reply<T> {
  status: number;
  headers: Headers;
  /** The parsed JSON body (a Problem when the status is an error), undefined when empty. */
  body: T;
  text: string;
}

export interface CallOptions {
  json?: unknown;
  /** Sent as is, for bodies that are not JSON (or not valid JSON). */
  body?: string;
  token?: string;
  headers?: Record<string, string>;
}

export class Client {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  /** The same client acting as the holder of this access token. */
  as(token: string): Client {
    return new Client(this.baseUrl, token);
  }

  async call<T = unknown>(method: string, path: string, options: CallOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    const token = options.token ?? this.token;
    if (token !== undefined && headers.authorization === undefined) headers.authorization = `Bearer ${token}`;
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["content-type"] ??= "application/json";
    }
    const response = await fetch(new URL(path, this.baseUrl), { method, headers, body });
    const text = await response.text();
    const type = response.headers.get("content-type") ?? "";
    const parsed: unknown = text !== "" && type.includes("json") ? JSON.parse(text) : undefined;
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  signUp(input: { username: string; email: string; password: string }): Promise<Reply<Account>> {
    return this.call("POST", "/v1/accounts", { json: input });
  }

  logIn(username: string, password: string): Promise<Reply<TokenPair>> {
    return this.call("POST", "/v1/auth/login", { json: { username, password } });
  }

  refresh(refreshToken: string): Promise<Reply<TokenPair>> {
    return this.call("POST", "/v1/auth/refresh", { json: { refreshToken } });
  }

  logOut(refreshToken: string): Promise<Reply<undefined>> {
    return this.call("POST", "/v1/auth/logout", { json: { refreshToken } });
  }

  account(): Promise<Reply<Account>> {
    return this.call("GET", "/v1/accounts/me");
  }

  changePassword(currentPassword: string, newPassword: string): Promise<Reply<undefined>> {
    return this.call("PUT", "/v1/accounts/me/password", { json: { currentPassword, newPassword } });
  }

  deleteAccount(password: string): Promise<Reply<undefined>> {
    return this.call("DELETE", "/v1/accounts/me", { json: { password } });
  }

  jwks(): Promise<Reply<{ keys: Record<string, unknown>[] }>> {
    return this.call("GET", "/.well-known/jwks.json");
  }

  me(): Promise<Reply<Profile>> {
    return this.call("GET", "/v1/users/me");
  }

  updateMe(patch: { displayName?: string; bio?: string }): Promise<Reply<Profile>> {
    return this.call("PATCH", "/v1/users/me", { json: patch });
  }

  profile(username: string): Promise<Reply<Profile>> {
    return this.call("GET", `/v1/users/${encodeURIComponent(username)}`);
  }

  searchUsers(query: string, page: PageQuery = {}): Promise<Reply<Page<Profile>>> {
    return this.call("GET", `/v1/users${queryString({ query, ...page })}`);
  }

  follow(username: string): Promise<Reply<undefined>> {
    return this.call("PUT", `/v1/users/${encodeURIComponent(username)}/follow`);
  }

  unfollow(username: string): Promise<Reply<undefined>> {
    return this.call("DELETE", `/v1/users/${encodeURIComponent(username)}/follow`);
  }

  followers(username: string, page: PageQuery = {}): Promise<Reply<Page<Profile>>> {
    return this.call("GET", `/v1/users/${encodeURIComponent(username)}/followers${queryString(page)}`);
  }

  following(username: string, page: PageQuery = {}): Promise<Reply<Page<Profile>>> {
    return this.call("GET", `/v1/users/${encodeURIComponent(username)}/following${queryString(page)}`);
  }
}

function queryString(params: PageQuery & { query?: string }): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}
