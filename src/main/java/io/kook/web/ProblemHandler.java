package io.kook.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.kook.KookProperties;
import io.kook.ansible.InventoryParseException;
import io.kook.inventory.KookException;
import io.kook.security.AuthFailures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * The one place that turns outcomes into HTTP: Kook's own exceptions and Spring MVC's failures alike become
 * RFC 9457 problems with a Kook {@code type}, and framework wording that would leak internals is replaced.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final String retryAfter;
    private final Counter forbidden;

    ProblemHandler(KookProperties properties, MeterRegistry meters) {
        this.forbidden = AuthFailures.counter(meters, AuthFailures.FORBIDDEN);
        this.retryAfter = Long.toString(Math.max(1, properties.writes().retryAfter().toSeconds()));
    }

    @ExceptionHandler(KookException.class)
    ResponseEntity<ProblemDetail> kook(KookException e) {
        if (e instanceof KookException.Invalid invalid) {
            return problem(Problems.withErrors(Problems.of(HttpStatus.BAD_REQUEST, Problems.INVALID, e.getMessage()),
                    errors(invalid.errors())));
        }
        if (e instanceof KookException.UnknownReference unknown) {
            return problem(Problems.withErrors(Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, Problems.UNKNOWN_REFERENCE,
                    e.getMessage()), errors(unknown.errors())));
        }
        if (e instanceof KookException.Forbidden) {
            forbidden.increment();
            return problem(Problems.of(HttpStatus.FORBIDDEN, Problems.FORBIDDEN, e.getMessage()));
        }
        if (e instanceof KookException.NotFound) {
            return problem(Problems.of(HttpStatus.NOT_FOUND, Problems.NOT_FOUND, e.getMessage()));
        }
        if (e instanceof KookException.AlreadyExists) {
            return problem(Problems.of(HttpStatus.CONFLICT, Problems.ALREADY_EXISTS, e.getMessage()));
        }
        if (e instanceof KookException.Cycle) {
            return problem(Problems.of(HttpStatus.CONFLICT, Problems.CYCLE, e.getMessage()));
        }
        if (e instanceof KookException.Unreadable) {
            return problem(Problems.of(HttpStatus.CONFLICT, Problems.UNREADABLE, e.getMessage()));
        }
        if (e instanceof KookException.PreconditionFailed) {
            return problem(Problems.of(HttpStatus.PRECONDITION_FAILED, Problems.PRECONDITION_FAILED, e.getMessage()));
        }
        if (e instanceof KookException.Gone) {
            return problem(Problems.of(HttpStatus.GONE, Problems.GONE, e.getMessage()));
        }
        if (e instanceof KookException.Conflict) {
            return problem(Problems.of(HttpStatus.CONFLICT, Problems.CONFLICT, e.getMessage()));
        }
        if (e instanceof KookException.TooLarge) {
            return problem(Problems.of(HttpStatus.CONTENT_TOO_LARGE, Problems.TOO_LARGE, e.getMessage()));
        }
        if (e instanceof KookException.Unavailable) {
            ProblemDetail p = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, Problems.UNAVAILABLE, e.getMessage());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, retryAfter)
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
        }
        if (e instanceof KookException.OutcomeUnknown) {
            return problem(Problems.of(HttpStatus.GATEWAY_TIMEOUT, Problems.OUTCOME_UNKNOWN, e.getMessage()));
        }
        throw new IllegalStateException("unmapped outcome " + e.getClass().getName(), e);
    }

    @ExceptionHandler(InventoryParseException.class)
    ResponseEntity<ProblemDetail> unparsable(InventoryParseException e) {
        ProblemDetail p = Problems.of(HttpStatus.BAD_REQUEST, Problems.INVALID, e.getMessage());
        if (e.line() > 0) {
            p.setProperty("line", e.line());
        }
        return problem(Problems.withErrors(p, List.of(Map.of("field", e.line() > 0 ? "line " + e.line() : "body",
                "message", e.getMessage()))));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        String detail = "parameter " + e.getName() + " has an invalid value";
        return problem(Problems.withErrors(Problems.of(HttpStatus.BAD_REQUEST, Problems.INVALID, detail),
                List.of(Map.of("field", e.getName(), "message", "invalid value"))));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
            // a client that hung up (an event stream, a long download) is routine, and its response is unusable
            log.debug("op=request outcome=client-disconnected reason=\"{}\"", e.toString());
            return null;
        }
        log.error("op=request outcome=internal-error", e);
        return problem(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, Problems.INTERNAL,
                "Kook failed to handle this request; the error has been logged"));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        ProblemDetail p = Problems.of(HttpStatus.BAD_REQUEST, Problems.INVALID, unreadable(ex));
        return handleExceptionInternal(ex, p, headers, status, request);
    }

    private static final java.util.regex.Pattern LIMIT = java.util.regex.Pattern.compile("maximum allowed \\((\\d+)");

    /** Says which of missing, malformed or over a parser limit a JSON body is, without the parser's internals. */
    static String unreadable(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getCause();
        while (cause != null && !(cause instanceof tools.jackson.core.JacksonException)) {
            cause = cause.getCause();
        }
        if (cause == null) {
            String message = ex.getMessage();
            return message != null && message.startsWith("Required request body is missing")
                    ? "the request body is missing" : "the request body could not be read as JSON";
        }
        if (cause instanceof tools.jackson.core.exc.StreamConstraintsException limit) {
            String message = String.valueOf(limit.getOriginalMessage());
            java.util.regex.Matcher m = LIMIT.matcher(message);
            String max = m.find() ? m.group(1) : null;
            if (message.startsWith("Document nesting depth")) {
                return "the JSON body nests arrays and objects deeper than " + (max == null ? "allowed" : max + " levels");
            }
            if (message.startsWith("Number value length")) {
                return "a number in the JSON body has more than " + (max == null ? "the allowed" : max)
                        + " characters";
            }
            if (message.startsWith("String value length")) {
                return "a string in the JSON body is longer than " + (max == null ? "allowed" : max + " characters");
            }
            if (message.startsWith("Name length")) {
                return "a member name in the JSON body is longer than " + (max == null ? "allowed" : max + " characters");
            }
            return "the JSON body exceeds a parser limit";
        }
        tools.jackson.core.TokenStreamLocation where = ((tools.jackson.core.JacksonException) cause).getLocation();
        String at = where == null || where.getLineNr() < 1 ? ""
                : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
        if (cause instanceof tools.jackson.core.exc.UnexpectedEndOfInputException
                || String.valueOf(((tools.jackson.core.JacksonException) cause).getOriginalMessage())
                        .startsWith("No content to map")) {
            return where != null && where.getCharOffset() <= 0 && where.getByteOffset() <= 0
                    ? "the request body is empty; send a JSON object" : "the JSON body ends too early" + at;
        }
        return "the request body is not valid JSON" + at;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(
            org.springframework.web.HttpMediaTypeNotSupportedException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String supported = ex.getSupportedMediaTypes().stream().map(MediaType::toString).distinct()
                .collect(java.util.stream.Collectors.joining(", "));
        String detail = (ex.getContentType() == null
                ? "the request has no Content-Type header"
                : "Content-Type '" + ex.getContentType() + "' is not supported here")
                + (supported.isEmpty() ? "" : "; send one of: " + supported);
        ProblemDetail p = Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, Problems.UNSUPPORTED_MEDIA_TYPE, detail);
        return handleExceptionInternal(ex, p, headers, status, request);
    }

    /** Gives Spring MVC's own problems Kook's type URIs and plain titles. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        if (body == null && ex instanceof ErrorResponse response) {
            body = response.getBody();
        }
        if (body instanceof ProblemDetail problem && statusCode.value() == 404) {
            problem.setDetail("there is no resource at this path");
        }
        if (body instanceof ProblemDetail problem) {
            problem.setDetail(Problems.scrub(problem.getDetail()));
        }
        if (body instanceof ProblemDetail problem && (problem.getType() == null
                || "about:blank".equals(problem.getType().toString()))) {
            problem.setType(URI.create(Problems.BASE + Problems.slugFor(statusCode.value())));
        }
        return super.handleExceptionInternal(ex, body, headers, statusCode, request);
    }

    private static ResponseEntity<ProblemDetail> problem(ProblemDetail p) {
        return ResponseEntity.status(p.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    private static List<Map<String, String>> errors(List<KookException.FieldError> errors) {
        return errors.stream().map(e -> Map.of("field", e.field(), "message", e.message())).toList();
    }
}
