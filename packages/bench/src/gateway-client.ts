// A small client of the public REST contract (docs/openapi.json) for driving load: plain fetch, every
// request with a deadline.

export interface Reply {
  status: number;
  /** Parsed JSON when the answer is JSON, else undefined. */
  body: unknown;
  text: string;
}

export interface ImageView {
  id: string;
  likesCount: number;
  commentsCount: number;
}

export interface Person {
  id: string;
  username: string;
  password: string;
  token: string;
}

export class UnexpectedStatus extends Error {
  constructor(what: string, reply: Reply, expected: number) {
    super(`${what}: expected ${expected}, got ${reply.status} ${reply.text.slice(0, 300)}`);
  }
}

export class GatewayClient {
  constructor(
    readonly baseUrl: string,
    readonly timeoutMs = 30_000,
  ) {}

  async call(
    method: string,
    path: string,
    init: { token?: string; json?: unknown; form?: FormData; timeoutMs?: number } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
    let body: BodyInit | undefined = init.form;
    if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    }
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(init.timeoutMs ?? this.timeoutMs),
    });
    const text = await response.text();
    const json = text !== "" && (response.headers.get("content-type") ?? "").includes("json");
    return { status: response.status, body: json ? JSON.parse(text) : undefined, text };
  }

  async expect(status: number, what: string, reply: Promise<Reply>): Promise<Reply> {
    const answer = await reply;
    if (answer.status !== status) throw new UnexpectedStatus(what, answer, status);
    return answer;
  }

  /** Signs up and logs in a fresh user named `<prefix>_<random>`. */
  async newPerson(prefix: string): Promise<Person> {
    const username = `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`.slice(
      0,
      30,
    );
    const password = `bench-${username}-secret`;
    const account = await this.expect(
      201,
      "sign up",
      this.call("POST", "/v1/accounts", { json: { username, email: `${username}@example.com`, password } }),
    );
    const login = await this.expect(
      200,
      "log in",
      this.call("POST", "/v1/auth/login", { json: { username, password } }),
    );
    return {
      id: field(account.body, "id"),
      username,
      password,
      token: field(login.body, "accessToken"),
    };
  }

  async upload(
    token: string,
    file: Blob,
    filename: string,
    caption?: string,
    timeoutMs?: number,
  ): Promise<ImageView> {
    const form = new FormData();
    if (caption !== undefined) form.set("caption", caption);
    form.set("file", file, filename);
    const reply = await this.expect(
      201,
      "upload",
      this.call("POST", "/v1/images", { token, form, timeoutMs }),
    );
    return imageView(reply.body);
  }

  image(id: string, token?: string): Promise<Reply> {
    return this.call("GET", `/v1/images/${id}`, { token });
  }

  async like(token: string, imageId: string): Promise<void> {
    await this.expect(204, "like", this.call("PUT", `/v1/images/${imageId}/like`, { token }));
  }

  async comment(token: string, imageId: string, text: string): Promise<void> {
    await this.expect(
      201,
      "comment",
      this.call("POST", `/v1/images/${imageId}/comments`, { token, json: { text } }),
    );
  }

  comments(imageId: string, token?: string, limit = 100): Promise<Reply> {
    return this.call("GET", `/v1/images/${imageId}/comments?limit=${limit}`, { token });
  }

  /** Every image of a user, newest first (pages of 100). */
  async imagesOf(username: string, token?: string): Promise<ImageView[]> {
    const all: ImageView[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 1000; page++) {
      const query: string =
        cursor === null ? "?limit=100" : `?limit=100&cursor=${encodeURIComponent(cursor)}`;
      const reply = await this.expect(
        200,
        "list images",
        this.call("GET", `/v1/users/${encodeURIComponent(username)}/images${query}`, { token }),
      );
      const body = reply.body as { items?: unknown[]; nextCursor?: string | null };
      all.push(...(body.items ?? []).map(imageView));
      cursor = body.nextCursor ?? null;
      if (cursor === null) break;
    }
    return all;
  }

  async deleteAccount(person: Person): Promise<void> {
    await this.expect(
      204,
      "delete account",
      this.call("DELETE", "/v1/accounts/me", { token: person.token, json: { password: person.password } }),
    );
  }
}

export function imageView(body: unknown): ImageView {
  return {
    id: field(body, "id"),
    likesCount: Number((body as Record<string, unknown>).likesCount),
    commentsCount: Number((body as Record<string, unknown>).commentsCount),
  };
}

function field(body: unknown, name: string): string {
  const value =
    typeof body === "object" && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  if (typeof value !== "string") throw new Error(`the answer has no "${name}": ${JSON.stringify(body)}`);
  return value;
}
