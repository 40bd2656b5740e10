// A tiny typed client for the public REST contract (docs/openapi.json), plain fetch.

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

export interface UserRef {
  id: string;
  username: string;
}

export interface Image {
  id: string;
  owner: UserRef;
  caption: string;
  hashtags: string[];
  mentions: string[];
  contentType: string;
  width: number;
  height: number;
  likesCount: number;
  commentsCount: number;
  likedByMe: boolean;
  createdAt: string;
  urls: { original: string; thumbnail: string };
}

export interface Comment {
  id: string;
  imageId: string;
  author: UserRef;
  text: string;
  hashtags: string[];
  mentions: string[];
  createdAt: string;
}

/** A file to upload: its bytes, and what the client claims about them. */
export interface Upload {
  bytes: Uint8Array;
  filename?: string;
  /** The declared type of the part; the server judges by the bytes. */
  contentType?: string;
  caption?: string;
}

/** An answer whose body is bytes (image content). */
export interface Content {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

export type Rendition = "original" | "thumbnail";

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
    return this.answer<T>(await fetch(new URL(path, this.baseUrl), { method, headers, body }));
  }

  private async answer<T>(response: Response): Promise<Reply<T>> {
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

  /** POST /v1/images as multipart/form-data: `caption` (when given) first, then `file`. */
  async upload(upload: Upload): Promise<Reply<Image>> {
    const form = new FormData();
    if (upload.caption !== undefined) form.append("caption", upload.caption);
    const file = new Blob([new Uint8Array(upload.bytes)], {
      type: upload.contentType ?? "application/octet-stream",
    });
    form.append("file", file, upload.filename ?? "upload");
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    return this.answer(
      await fetch(new URL("/v1/images", this.baseUrl), { method: "POST", headers, body: form }),
    );
  }

  image(id: string): Promise<Reply<Image>> {
    return this.call("GET", `/v1/images/${encodeURIComponent(id)}`);
  }

  deleteImage(id: string): Promise<Reply<undefined>> {
    return this.call("DELETE", `/v1/images/${encodeURIComponent(id)}`);
  }

  /** GET a rendition's bytes (public: sent without a token unless this client has one). */
  async content(id: string, size: Rendition, headers: Record<string, string> = {}): Promise<Content> {
    const url = new URL(`/v1/images/${encodeURIComponent(id)}/content?size=${size}`, this.baseUrl);
    const response = await fetch(url, { headers });
    return {
      status: response.status,
      headers: response.headers,
      bytes: Buffer.from(await response.arrayBuffer()),
    };
  }

  userImages(username: string, page: PageQuery = {}): Promise<Reply<Page<Image>>> {
    return this.call("GET", `/v1/users/${encodeURIComponent(username)}/images${queryString(page)}`);
  }

  feed(page: PageQuery = {}): Promise<Reply<Page<Image>>> {
    return this.call("GET", `/v1/feed${queryString(page)}`);
  }

  like(id: string): Promise<Reply<undefined>> {
    return this.call("PUT", `/v1/images/${encodeURIComponent(id)}/like`);
  }

  unlike(id: string): Promise<Reply<undefined>> {
    return this.call("DELETE", `/v1/images/${encodeURIComponent(id)}/like`);
  }

  likers(id: string, page: PageQuery = {}): Promise<Reply<Page<Profile>>> {
    return this.call("GET", `/v1/images/${encodeURIComponent(id)}/likes${queryString(page)}`);
  }

  tagImages(tag: string, page: PageQuery = {}): Promise<Reply<Page<Image>>> {
    return this.call("GET", `/v1/tags/${encodeURIComponent(tag)}/images${queryString(page)}`);
  }

  mentionImages(username: string, page: PageQuery = {}): Promise<Reply<Page<Image>>> {
    return this.call("GET", `/v1/users/${encodeURIComponent(username)}/mentions${queryString(page)}`);
  }

  comment(imageId: string, text: string): Promise<Reply<Comment>> {
    return this.call("POST", `/v1/images/${encodeURIComponent(imageId)}/comments`, { json: { text } });
  }

  comments(imageId: string, page: PageQuery = {}): Promise<Reply<Page<Comment>>> {
    return this.call("GET", `/v1/images/${encodeURIComponent(imageId)}/comments${queryString(page)}`);
  }

  deleteComment(imageId: string, commentId: string): Promise<Reply<undefined>> {
    return this.call(
      "DELETE",
      `/v1/images/${encodeURIComponent(imageId)}/comments/${encodeURIComponent(commentId)}`,
    );
  }
}

function queryString(params: PageQuery & { query?: string }): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}
