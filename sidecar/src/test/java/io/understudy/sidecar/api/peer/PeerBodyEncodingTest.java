package io.understudy.sidecar.api.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.config.Compression;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PeerBodyEncodingTest {
    /** A batch-like body: repetitive JSON values, as most host apps write. */
    private static byte[] body(int bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < bytes; i++)
            text.append("{\"sku\":\"item-").append(i).append("\",\"qty\":3}");
        return text.substring(0, bytes).getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(
            value = Compression.class,
            names = {"LZ4", "ZSTD"})
    void aCompressedBodyIsSmallerAndDecodesToTheSameBytes(Compression compression) {
        byte[] plain = body(64 * 1024);

        PeerBodyEncoding.Encoded encoded = PeerBodyEncoding.encode(compression, plain);

        assertEquals(compression.configName(), encoded.contentEncoding());
        assertTrue(encoded.body().length < plain.length / 2, "compressed to " + encoded.body().length);
        assertArrayEquals(plain, PeerBodyEncoding.decode(encoded.contentEncoding(), encoded.body(), 1 << 20));
    }

    @Test
    void smallBodiesAndNoneTravelAsTheyAre() {
        byte[] heartbeat = body(100);

        assertNull(PeerBodyEncoding.encode(Compression.LZ4, heartbeat).contentEncoding());
        assertSame(
                heartbeat, PeerBodyEncoding.encode(Compression.LZ4, heartbeat).body());
        assertNull(PeerBodyEncoding.encode(Compression.NONE, body(64 * 1024)).contentEncoding());
    }

    @Test
    void aBodyWithoutContentEncodingIsTakenAsItIs() {
        byte[] plain = body(4096);

        assertSame(plain, PeerBodyEncoding.decode(null, plain, 1 << 20));
        assertSame(plain, PeerBodyEncoding.decode("identity", plain, 1 << 20));
    }

    @ParameterizedTest
    @EnumSource(
            value = Compression.class,
            names = {"LZ4", "ZSTD"})
    void aCorruptCompressedBodyIsRefusedWithItsEncodingNamed(Compression compression) {
        byte[] encoded = PeerBodyEncoding.encode(compression, body(64 * 1024)).body();
        for (int i = encoded.length / 3; i < encoded.length / 3 + 16; i++) encoded[i] ^= 0x5A;

        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PeerBodyEncoding.decode(compression.configName(), encoded, 1 << 20));
        assertTrue(e.getMessage().contains(compression.configName()), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(
            value = Compression.class,
            names = {"LZ4", "ZSTD"})
    void aBodyThatWouldDecompressPastTheLimitIsRefused(Compression compression) {
        byte[] encoded = PeerBodyEncoding.encode(compression, body(64 * 1024)).body();

        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PeerBodyEncoding.decode(compression.configName(), encoded, 16 * 1024));
        assertTrue(e.getMessage().contains("16384"), e.getMessage());
    }

    @Test
    void anUnknownEncodingIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> PeerBodyEncoding.decode("br", new byte[] {1, 2}, 1 << 20));
        assertTrue(e.getMessage().contains("br"), e.getMessage());
    }
}
