package io.kook.ansible;

/**
 * The CRC-32 of two byte strings joined, from their CRCs and the second one's length (zlib's
 * {@code crc32_combine}, which the JDK does not offer): a gzip trailer over hundreds of megabytes of pieces
 * whose CRCs are known costs a few operations per piece instead of a pass over every byte.
 */
final class Crc32Combine {

    private static final int GF2_DIM = 32;
    /** The operator that appends one zero bit, and its squares: appending 2, 4, 8, ... zero bits. */
    private static final long[][] ZEROS = new long[64][];

    static {
        long[] odd = new long[GF2_DIM];
        odd[0] = 0xedb88320L;   // the CRC-32 polynomial, reflected
        long row = 1;
        for (int n = 1; n < GF2_DIM; n++) {
            odd[n] = row;
            row <<= 1;
        }
        long[] op = odd;
        for (int i = 0; i < ZEROS.length; i++) {
            op = square(op);      // appends 2^(i+1) zero bits: i = 2 is one zero byte
            ZEROS[i] = op;
        }
    }

    private Crc32Combine() {
    }

    static long combine(long crc1, long crc2, long length2) {
        if (length2 <= 0) {
            return crc1;
        }
        // append length2 zero bytes to crc1: one application per set bit of length2, byte operators from ZEROS[2]
        int i = 2;
        long remaining = length2;
        while (remaining != 0) {
            if ((remaining & 1) != 0) {
                crc1 = times(ZEROS[i], crc1);
            }
            remaining >>>= 1;
            i++;
        }
        return crc1 ^ crc2;
    }

    private static long times(long[] matrix, long vector) {
        long sum = 0;
        for (int i = 0; vector != 0; i++, vector >>>= 1) {
            if ((vector & 1) != 0) {
                sum ^= matrix[i];
            }
        }
        return sum;
    }

    private static long[] square(long[] matrix) {
        long[] square = new long[GF2_DIM];
        for (int n = 0; n < GF2_DIM; n++) {
            square[n] = times(matrix, matrix[n]);
        }
        return square;
    }
}
