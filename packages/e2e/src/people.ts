import { expect } from "vitest";
import type { Client, Profile, TokenPair } from "./client.ts";
import { eventually } from "./eventually.ts";

let created = 0;

/** A fresh valid username: lower-case, `[a-z0-9._]`, at most 30 characters. */
export function uniqueUsername(prefix = "u"): string {
  created += 1;
  const random = Math.random().toString(36).slice(2, 6);
  return `${prefix}_${Date.now().toString(36)}${created.toString(36)}${random}`.slice(0, 30);
}

export interface Person {
  id: string;
  username: string;
  email: string;
  password: string;
  tokens: TokenPair;
  /** The gateway client acting as this person. */
  client: Client;
}

/** Signs up, logs in and waits until the profile exists (it is made from the accounts.CREATED event). */
export async function newPerson(api: Client, options: { prefix?: string } = {}): Promise<Person> {
  const username = uniqueUsername(options.prefix);
  const email = `${username}@example.com`;
  const password = `pw-${username}-secret`;
  const signUp = await api.signUp({ username, email, password });
  expect(signUp.status, signUp.text).toBe(201);
  const logIn = await api.logIn(username, password);
  expect(logIn.status, logIn.text).toBe(200);
  const client = api.as(logIn.body.accessToken);
  await profileOf(client, username);
  return { id: signUp.body.id, username, email, password, tokens: logIn.body, client };
}

/** `count` people, made a few at a time. */
export async function newPeople(
  api: Client,
  count: number,
  options: { prefix?: string } = {},
): Promise<Person[]> {
  const people: Person[] = [];
  const batch = 8;
  for (let start = 0; start < count; start += batch) {
    const size = Math.min(batch, count - start);
    people.push(...(await Promise.all(Array.from({ length: size }, () => newPerson(api, options)))));
  }
  return people;
}

/** The profile of `username` as `viewer` sees it, once it exists. */
export function profileOf(viewer: Client, username: string): Promise<Profile> {
  return eventually(async () => {
    const reply = await viewer.profile(username);
    expect(reply.status, reply.text).toBe(200);
    return reply.body;
  });
}
