package io.kook.history;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import io.kook.inventory.KookException;
import io.kook.security.Caller;
import io.kook.store.Attribution;
import io.kook.web.RequestIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Who a write is recorded as made by: the calling token's name, the request's {@code X-Kook-Reason} and its
 * {@code X-Request-Id}. Asked once per write, on the request's thread, before anything is done, so a reason that
 * is too long, or missing where {@code kook.history.require-reason} asks for one, refuses the write whole.
 */
final class RequestAttribution implements Supplier<Attribution> {

    static final String REASON = "X-Kook-Reason";
    static final int MAX_REASON = 1000;

    private final boolean requireReason;

    RequestAttribution(boolean requireReason) {
        this.requireReason = requireReason;
    }

    @Override
    public Attribution get() {
        String actor = Caller.current().name();
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
            return new Attribution(actor, null, null);
        }
        HttpServletRequest request = attributes.getRequest();
        String reason = reason(request.getHeader(REASON));
        if (reason == null && requireReason) {
            throw KookException.invalid(REASON, "is required (kook.history.require-reason): say why you make this"
                    + " change, in at most " + MAX_REASON + " characters");
        }
        return new Attribution(actor, reason, (String) request.getAttribute(RequestIdFilter.ATTRIBUTE));
    }

    /** The header as the client meant it: HTTP carries bytes, curl sends UTF-8, Tomcat reads them as ISO-8859-1. */
    private static String reason(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String text = header.strip();
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException notUtf8) {
            // Latin-1 text as sent
        }
        if (text.codePointCount(0, text.length()) > MAX_REASON) {
            throw KookException.invalid(REASON, "is longer than " + MAX_REASON + " characters");
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw KookException.invalid(REASON, "holds control characters; send one line of text");
        }
        return text;
    }
}
