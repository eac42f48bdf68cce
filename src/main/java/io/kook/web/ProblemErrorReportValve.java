package io.kook.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.ExceptionUtils;

/**
 * Tomcat's error report, as a problem document instead of an HTML page. It answers the errors Tomcat finds
 * before any servlet runs: a request target with an encoded slash or bad percent-encoding, headers over the
 * limit, a malformed request line. Errors inside the application have their problem body already and are left
 * as they are.
 */
final class ProblemErrorReportValve extends ErrorReportValve {

    private final LongSupplier revision;

    ProblemErrorReportValve(LongSupplier revision) {
        this.revision = revision;
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.resetBuffer();
        } catch (IllegalStateException e) {
            return;
        }
        String detail = status >= 500 ? "Kook failed to handle this request"
                : status == 404 ? "there is no resource at this path"
                : "the request is malformed and was not handled (" + reason(status) + ")";
        String body = new String(RawProblems.body(status, detail, null), StandardCharsets.UTF_8);
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            if (response.getHeader(ReadHeadersFilter.REVISION) == null) {
                response.setHeader(ReadHeadersFilter.REVISION, Long.toString(revision.getAsLong()));
            }
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response cannot take a body: nothing more to say
        } catch (Throwable t) {
            ExceptionUtils.handleThrowable(t);
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "bad request target, header or encoding";
            case 413 -> "content too large";
            case 414 -> "request target too long";
            case 431 -> "request headers too large";
            default -> "status " + status;
        };
    }
}
