package io.kook.ansible;

import java.util.Random;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Crc32CombineTests {

    @Test
    void combiningTwoCrcsGivesTheCrcOfTheJoinedBytes() {
        Random r = new Random(3);
        int[] lengths = {0, 1, 2, 3, 7, 8, 255, 256, 4096, 65_537, 1 << 20};
        for (int a : lengths) {
            for (int b : lengths) {
                byte[] first = new byte[a];
                byte[] second = new byte[b];
                r.nextBytes(first);
                r.nextBytes(second);
                CRC32 joined = new CRC32();
                joined.update(first);
                joined.update(second);
                assertThat(Crc32Combine.combine(crc(first), crc(second), b)).as("%d + %d bytes", a, b)
                        .isEqualTo(joined.getValue());
            }
        }
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}
