// Object URLs of the photos' thumbnails, made when a thumbnail is first shown: a session of
// thousands of photos comes back without making one per photo (each costs the browser a
// registration), and the gallery only ever shows the few dozen on screen.
const urls = new WeakMap<Blob, string>();

/** The thumbnail's object URL, made on first use and kept until `releaseThumbnail`. */
export function thumbnailUrl(thumbnail: Blob | undefined): string | undefined {
  if (!thumbnail) return undefined;
  let url = urls.get(thumbnail);
  if (!url) urls.set(thumbnail, (url = URL.createObjectURL(thumbnail)));
  return url;
}

/** Revokes the thumbnail's object URL, if one was made. */
export function releaseThumbnail(thumbnail: Blob | undefined): void {
  const url = thumbnail && urls.get(thumbnail);
  if (!url) return;
  URL.revokeObjectURL(url);
  urls.delete(thumbnail);
}
