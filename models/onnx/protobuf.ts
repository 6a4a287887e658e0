// Minimal protobuf wire-format reader/writer: just what the ONNX schema needs.
// Hand-written so models/ has no runtime dependency and tensor bytes are never copied
// on read (raw_data fields are sub-arrays of the input buffer).

const TWO_POW_32 = 4294967296;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  Fixed32 = 5,
}

export class ProtoReader {
  pos: number;
  private readonly view: DataView;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  tag(): { field: number; wire: WireType } {
    const t = this.varint();
    return { field: Math.floor(t / 8), wire: (t & 7) as WireType };
  }

  /** Unsigned varint as a number (exact up to 2^53). */
  varint(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= this.end) throw new Error('protobuf: truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
  }

  /** Signed 64-bit varint (two's complement), as a number; magnitudes beyond 2^53 lose precision. */
  int64(): number {
    let lo = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw new Error('protobuf: truncated varint');
      const b = this.buf[this.pos++]!;
      lo |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7n;
    }
    return Number(BigInt.asIntN(64, lo));
  }

  float(): number {
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  double(): number {
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  bytes(): Uint8Array {
    const len = this.varint();
    const start = this.pos;
    this.pos += len;
    if (this.pos > this.end) throw new Error('protobuf: truncated length-delimited field');
    return this.buf.subarray(start, this.pos);
  }

  string(): string {
    return textDecoder.decode(this.bytes());
  }

  /** A nested reader over the next length-delimited field. */
  sub(): ProtoReader {
    const len = this.varint();
    const start = this.pos;
    this.pos += len;
    if (this.pos > this.end) throw new Error('protobuf: truncated message');
    return new ProtoReader(this.buf, start, start + len);
  }

  /** Returns the raw bytes (tag included) of a field whose tag was just read, for preservation. */
  skip(wire: WireType, tagStart: number): Uint8Array {
    switch (wire) {
      case WireType.Varint:
        this.varint();
        break;
      case WireType.Fixed64:
        this.pos += 8;
        break;
      case WireType.LengthDelimited: {
        const len = this.varint();
        this.pos += len;
        break;
      }
      case WireType.Fixed32:
        this.pos += 4;
        break;
      default:
        throw new Error(`protobuf: unsupported wire type ${wire as number}`);
    }
    return this.buf.subarray(tagStart, this.pos);
  }

  /** Reads a repeated scalar that may be packed or not. */
  repeated(wire: WireType, readOne: () => number, out: number[]): void {
    if (wire === WireType.LengthDelimited) {
      const len = this.varint();
      const end = this.pos + len;
      while (this.pos < end) out.push(readOne());
    } else {
      out.push(readOne());
    }
  }
}

const textDecoder = new TextDecoder();
const textEncoder = new TextEncoder();

/** Growable byte sink. Large byte fields are kept as references and joined once at the end. */
export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private cur = new Uint8Array(1024);
  private curLen = 0;
  private total = 0;

  get length(): number {
    return this.total;
  }

  private ensure(n: number): void {
    if (this.curLen + n <= this.cur.length) return;
    this.flushCur();
    this.cur = new Uint8Array(Math.max(1024, n));
  }

  private flushCur(): void {
    if (this.curLen > 0) this.chunks.push(this.cur.subarray(0, this.curLen));
    this.cur = new Uint8Array(1024);
    this.curLen = 0;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.cur[this.curLen++] = b;
    this.total++;
  }

  varint(n: number): void {
    if (n < 0) {
      this.int64(n);
      return;
    }
    while (n >= 128) {
      this.byte((n % 128) | 0x80);
      n = Math.floor(n / 128);
    }
    this.byte(n);
  }

  /** Signed 64-bit varint; values beyond the int64 range are clamped (e.g. Slice's "to the end"). */
  int64(n: number): void {
    if (n >= 0 && n < TWO_POW_32) {
      this.varint(n);
      return;
    }
    let v = BigInt(Math.trunc(n));
    if (v > INT64_MAX) v = INT64_MAX;
    if (v < INT64_MIN) v = INT64_MIN;
    let u = BigInt.asUintN(64, v);
    while (u >= 128n) {
      this.byte(Number(u & 0x7fn) | 0x80);
      u >>= 7n;
    }
    this.byte(Number(u));
  }

  tag(field: number, wire: WireType): void {
    this.varint(field * 8 + wire);
  }

  float(v: number): void {
    this.ensure(4);
    new DataView(this.cur.buffer, this.cur.byteOffset).setFloat32(this.curLen, v, true);
    this.curLen += 4;
    this.total += 4;
  }

  double(v: number): void {
    this.ensure(8);
    new DataView(this.cur.buffer, this.cur.byteOffset).setFloat64(this.curLen, v, true);
    this.curLen += 8;
    this.total += 8;
  }

  raw(bytes: Uint8Array): void {
    if (bytes.length > 4096) {
      this.flushCur();
      this.chunks.push(bytes);
      this.total += bytes.length;
      return;
    }
    this.ensure(bytes.length);
    this.cur.set(bytes, this.curLen);
    this.curLen += bytes.length;
    this.total += bytes.length;
  }

  bytesField(field: number, bytes: Uint8Array): void {
    this.tag(field, WireType.LengthDelimited);
    this.varint(bytes.length);
    this.raw(bytes);
  }

  stringField(field: number, s: string | undefined): void {
    if (s === undefined || s === '') return;
    this.bytesField(field, textEncoder.encode(s));
  }

  varintField(field: number, n: number | undefined): void {
    if (n === undefined || n === 0) return;
    this.tag(field, WireType.Varint);
    this.int64(n);
  }

  messageField(field: number, write: (w: ProtoWriter) => void): void {
    const inner = new ProtoWriter();
    write(inner);
    this.tag(field, WireType.LengthDelimited);
    this.varint(inner.length);
    inner.flushCur();
    for (const c of inner.chunks) this.raw(c);
  }

  packedInt64(field: number, values: readonly number[] | undefined): void {
    if (!values || values.length === 0) return;
    this.messageField(field, (w) => {
      for (const v of values) w.int64(v);
    });
  }

  packedFloat(field: number, values: readonly number[] | undefined): void {
    if (!values || values.length === 0) return;
    this.messageField(field, (w) => {
      for (const v of values) w.float(v);
    });
  }

  packedDouble(field: number, values: readonly number[] | undefined): void {
    if (!values || values.length === 0) return;
    this.messageField(field, (w) => {
      for (const v of values) w.double(v);
    });
  }

  finish(): Uint8Array {
    this.flushCur();
    if (this.chunks.length === 1) return this.chunks[0]!;
    const out = new Uint8Array(this.total);
    let off = 0;
    for (const c of this.chunks) {
      out.set(c, off);
      off += c.length;
    }
    this.chunks = [out];
    return out;
  }
}
