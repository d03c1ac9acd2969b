package org.autodiff4j.models.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A strict gzip reader over a file's bytes (RFC 1952), for data files that must not be trusted: unlike
 * {@link java.util.zip.GZIPInputStream} it inflates only as much as is read (so a caller can stop at
 * the size a header declares, whatever the stream would expand to), checks every member's CRC-32 and
 * length, and rejects bytes after the last member. Errors name the source and the byte offset.
 */
final class Gzip extends InputStream {
    /** Deflate cannot expand data by more than about 1032 times; a declared size beyond this is forged. */
    static final long MAX_RATIO = 1100;

    private final byte[] raw;
    private final String source;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private int memberStart;
    private long memberBytes;
    private boolean done;

    private Gzip(byte[] raw, String source) throws IOException {
        this.raw = raw;
        this.source = source;
        startMember(0);
    }

    /** Whether the bytes start with the gzip magic number. */
    static boolean isGzip(byte[] raw) {
        return raw.length >= 2 && (raw[0] & 0xFF) == 0x1f && (raw[1] & 0xFF) == 0x8b;
    }

    /** A stream of the uncompressed bytes of {@code raw}, a whole gzip file. */
    static Gzip open(byte[] raw, String source) throws IOException {
        return new Gzip(raw, source);
    }

    /** The uncompressed length the last member's trailer declares (mod 2^32), or -1 when the file is too short. */
    static long declaredLength(byte[] raw) {
        int n = raw.length;
        return n < 18 ? -1 : (raw[n - 4] & 0xFFL) | (raw[n - 3] & 0xFFL) << 8 | (raw[n - 2] & 0xFFL) << 16
                | (raw[n - 1] & 0xFFL) << 24;
    }

    private void startMember(int at) throws IOException {
        if (raw.length - at < 18 || (raw[at] & 0xFF) != 0x1f || (raw[at + 1] & 0xFF) != 0x8b || raw[at + 2] != 8) {
            throw new IOException(source + ": " + (at == 0 ? "not a gzip stream" : "garbage after the gzip stream")
                    + " at byte " + at);
        }
        int flags = raw[at + 3] & 0xFF;
        int p = at + 10;
        if ((flags & 4) != 0) { // FEXTRA
            p += 2 + ((raw[p] & 0xFF) | (raw[p + 1] & 0xFF) << 8);
        }
        for (int bit : new int[] {8, 16}) { // FNAME, FCOMMENT: zero-terminated
            if ((flags & bit) != 0) {
                while (p < raw.length && raw[p] != 0) {
                    p++;
                }
                p++;
            }
        }
        if ((flags & 2) != 0) { // FHCRC
            p += 2;
        }
        if (p >= raw.length) {
            throw new IOException(source + ": truncated gzip header at byte " + at);
        }
        memberStart = at;
        memberBytes = 0;
        crc.reset();
        inflater.reset();
        inflater.setInput(raw, p, raw.length - p);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (!done) {
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new IOException(source + ": corrupt gzip data in the member at byte " + memberStart + ": "
                        + e.getMessage(), e);
            }
            if (n > 0) {
                crc.update(b, off, n);
                memberBytes += n;
                return n;
            }
            if (inflater.finished()) {
                endMember();
            } else if (inflater.needsInput()) {
                throw new IOException(source + ": truncated gzip stream: it ends at byte " + raw.length
                        + " inside compressed data");
            } else if (len == 0) {
                return 0;
            } else {
                throw new IOException(source + ": corrupt gzip data in the member at byte " + memberStart
                        + " (a preset dictionary)");
            }
        }
        return -1;
    }

    /** Checks the finished member's trailer; moves to the next member or to the end. */
    private void endMember() throws IOException {
        int trailer = raw.length - inflater.getRemaining();
        if (raw.length - trailer < 8) {
            throw new IOException(source + ": truncated gzip trailer at byte " + trailer);
        }
        long storedCrc = le32(trailer);
        long storedSize = le32(trailer + 4);
        if (storedCrc != crc.getValue() || storedSize != (memberBytes & 0xFFFFFFFFL)) {
            throw new IOException(source + ": damaged gzip data: the trailer at byte " + trailer
                    + " does not match the data (CRC or length)");
        }
        int next = trailer + 8;
        if (next == raw.length) {
            done = true;
        } else {
            startMember(next);
        }
    }

    private long le32(int at) {
        return (raw[at] & 0xFFL) | (raw[at + 1] & 0xFFL) << 8 | (raw[at + 2] & 0xFFL) << 16 | (raw[at + 3] & 0xFFL) << 24;
    }

    @Override
    public void close() {
        inflater.end();
    }
}
