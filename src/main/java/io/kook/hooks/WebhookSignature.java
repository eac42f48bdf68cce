package io.kook.hooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Kook-Signature} of a webhook POST: {@code sha256=} and the lowercase hex HMAC-SHA256 of the exact
 * body bytes sent, keyed with the webhook's secret (UTF-8), so a receiver can tell Kook's POSTs from anyone else's:
 * it recomputes it over the bytes it got and compares in constant time. The JDK's {@link Mac} does the cryptography.
 */
public final class WebhookSignature {

    /** The header every signed webhook POST carries. */
    public static final String HEADER = "X-Kook-Signature";
    private static final String ALGORITHM = "HmacSHA256";
    private static final String PREFIX = "sha256=";

    private WebhookSignature() {
    }

    /** The header value for {@code body} signed with {@code secret}. */
    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is a required algorithm of every Java platform
            throw new IllegalStateException(e);
        }
    }
}
