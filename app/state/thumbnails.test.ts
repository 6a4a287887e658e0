// A thumbnail's object URL is made once, on first use, and revoked on release.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { releaseThumbnail, thumbnailUrl } from './thumbnails.ts';

afterEach(() => vi.restoreAllMocks());

describe('thumbnail URLs', () => {
  it('makes one URL per thumbnail, when first asked, and revokes it on release', () => {
    const made = vi.spyOn(URL, 'createObjectURL');
    const revoked = vi.spyOn(URL, 'revokeObjectURL');
    const a = new Blob(['a'], { type: 'image/jpeg' });
    const b = new Blob(['b'], { type: 'image/jpeg' });
    expect(made).not.toHaveBeenCalled();
    const url = thumbnailUrl(a);
    expect(url).toMatch(/^blob:/);
    expect(thumbnailUrl(a)).toBe(url);
    expect(thumbnailUrl(b)).not.toBe(url);
    expect(made).toHaveBeenCalledTimes(2);
    expect(thumbnailUrl(undefined)).toBeUndefined();

    releaseThumbnail(a);
    expect(revoked).toHaveBeenCalledWith(url);
    // Asked for again after release: a new URL.
    expect(thumbnailUrl(a)).not.toBe(url);
    releaseThumbnail(undefined);
    releaseThumbnail(new Blob(['never shown']));
    expect(revoked).toHaveBeenCalledTimes(1);
  });
});
