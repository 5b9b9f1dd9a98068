package io.understudy.sidecar.api.peer;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdInputStream;
import io.understudy.sidecar.config.Compression;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The HTTP body layer of peer appends: compresses a body ({@code replication.compression}) and names the codec in
 * {@code Content-Encoding}; the receiving side undoes whatever the header names. It knows nothing of what the body
 * holds, so it is independent of how a batch is encoded ({@link AppendCodec}).
 *
 * <ul>
 *   <li>{@code lz4}: one LZ4 frame (the format of the {@code lz4} tool), 64 KiB independent blocks, with the
 *       frame's content checksum, so a corrupt body is detected rather than decoded into other bytes.
 *   <li>{@code zstd}: one Zstandard frame (RFC 8878), level 1, with its content checksum.
 *   <li>no header, or {@code identity}: the body as it is. A follower takes both forms from any leader, so members
 *       of mixed versions and settings keep replicating during a rolling upgrade.
 * </ul>
 *
 * Decoding stops at a limit (a small body must not inflate into a large share of the heap), and every failure is an
 * {@link IllegalArgumentException} whose message names the encoding: the handler answers it with 400.
 */
public final class PeerBodyEncoding {
    /** Below this a body travels as it is: a heartbeat or a single small entry gains nothing from a codec. */
    static final int MIN_COMPRESSED_BYTES = 512;

    private static final int ZSTD_LEVEL = 1;

    /**
     * A body ready to send.
     *
     * @param contentEncoding the {@code Content-Encoding} to send, or null for none
     */
    public record Encoded(String contentEncoding, byte[] body) {}

    private PeerBodyEncoding() {}

    public static Encoded encode(Compression compression, byte[] body) {
        if (compression == Compression.NONE || body.length < MIN_COMPRESSED_BYTES) return new Encoded(null, body);
        byte[] compressed = switch (compression) {
            case LZ4 -> lz4(body);
            case ZSTD -> zstd(body);
            case NONE -> throw new AssertionError("handled above");
        };
        return new Encoded(compression.configName(), compressed);
    }

    /**
     * The body as sent before encoding.
     *
     * @param contentEncoding the request's {@code Content-Encoding}, or null
     * @param maxBytes the most bytes the decoded body may have
     * @throws IllegalArgumentException for an unknown encoding, a corrupt body, or one that decodes past the limit
     */
    public static byte[] decode(String contentEncoding, byte[] body, long maxBytes) {
        String name = contentEncoding == null ? "" : contentEncoding.strip().toLowerCase(Locale.ROOT);
        if (name.isEmpty() || name.equals("identity")) return body;
        Compression compression;
        try {
            compression = Compression.parse(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unsupported Content-Encoding '" + contentEncoding + "' on a peer append (expected lz4 or zstd)");
        }
        byte[] decoded;
        try (InputStream in = decoder(compression, body)) {
            decoded = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (IOException | RuntimeException e) { // the codecs report corruption both ways
            throw new IllegalArgumentException(
                    "a " + name + " peer append body of " + body.length + " bytes is corrupt: " + e.getMessage(), e);
        }
        if (decoded.length > maxBytes) {
            throw new IllegalArgumentException(
                    "a " + name + " peer append body decodes to more than " + maxBytes + " bytes, the peer body limit");
        }
        return decoded;
    }

    private static InputStream decoder(Compression compression, byte[] body) throws IOException {
        InputStream raw = new ByteArrayInputStream(body);
        return switch (compression) {
            case LZ4 ->
                new LZ4FrameInputStream(
                        raw,
                        LZ4Factory.fastestInstance().safeDecompressor(),
                        XXHashFactory.fastestInstance().hash32());
            case ZSTD -> new ZstdInputStream(raw);
            case NONE -> raw;
        };
    }

    private static byte[] lz4(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 2 + 64);
        try (LZ4FrameOutputStream frame = new LZ4FrameOutputStream(
                out,
                LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
                LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM)) {
            frame.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("lz4 into memory failed", e);
        }
        return out.toByteArray();
    }

    private static byte[] zstd(byte[] body) {
        try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
            return ctx.setLevel(ZSTD_LEVEL).setChecksum(true).compress(body);
        }
    }
}
