import { describe, expect, it } from "vitest";
import { blobKeyOf, etagOf, matchesEtag } from "./renditions.ts";

const id = "01930000-0000-7000-8000-000000000001";

describe("renditions", () => {
  it("keys each rendition's blob by the image id", () => {
    expect(blobKeyOf(id, "thumbnail")).toBe(`${id}.thumbnail`);
    expect(blobKeyOf(id, "original")).not.toBe(blobKeyOf(id, "thumbnail"));
  });

  it("matches If-None-Match lists, weak forms and *", () => {
    const etag = etagOf(id, "original");
    expect(matchesEtag(etag, etag)).toBe(true);
    expect(matchesEtag(`"other", ${etag}`, etag)).toBe(true);
    expect(matchesEtag(`W/${etag}`, etag)).toBe(true);
    expect(matchesEtag("*", etag)).toBe(true);
    expect(matchesEtag(etagOf(id, "thumbnail"), etag)).toBe(false);
    expect(matchesEtag(undefined, etag)).toBe(false);
  });
});
