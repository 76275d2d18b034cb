package ar.connector.web;

import java.io.IOException;
import java.util.Set;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Keeps other web sites from driving the admin API and the actuator with an operator's login (a
 * browser resends HTTP Basic credentials, and the console's session cookie, to any page's request).
 * A state-changing request is refused with 403 when it carries an {@code Origin} that is not the
 * connector's own ({@link ConnectorOrigins}), or a body that is not JSON (a cross-site form or
 * {@code text/plain} post needs no CORS preflight; JSON does). Where the console's session counts
 * as a login, a state-changing request authenticated by it alone must also show where it comes
 * from (Origin, else Referer), since only a page can have sent it.
 */
public class CrossOriginGuard extends OncePerRequestFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final ConnectorOrigins origins;
    private final ProblemWriter problems;
    private final boolean sessionLogins;
    private final RequestMatcher paths;

    /**
     * @param sessionLogins whether the chain it guards accepts the console's session as a login
     * @param paths         the requests it guards
     */
    public CrossOriginGuard(ConnectorOrigins origins, ProblemWriter problems, boolean sessionLogins,
            RequestMatcher paths) {
        this.origins = origins;
        this.problems = problems;
        this.sessionLogins = sessionLogins;
        this.paths = paths;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return SAFE_METHODS.contains(request.getMethod()) || !paths.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !origins.isOwn(origin, request)) {
            problems.write(request, response, HttpStatus.FORBIDDEN,
                    "Requests from another web site (Origin " + printable(origin) + ") are refused");
            return;
        }
        if (hasBody(request) && !isJson(request.getContentType())) {
            problems.write(request, response, HttpStatus.FORBIDDEN,
                    "A request body must be JSON (Content-Type application/json)");
            return;
        }
        if (sessionLogins && origin == null && request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
            String referer = request.getHeader(HttpHeaders.REFERER);
            if (referer == null || !origins.isOwn(referer, request)) {
                problems.write(request, response, HttpStatus.FORBIDDEN,
                        "A change made with the console's session must come from the connector's own pages");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** application/json, any application/*+json (merge-patch), and text/json (what Jolokia's own client sends). */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            String subtype = type.getSubtype();
            return "application".equals(type.getType()) && ("json".equals(subtype) || subtype.endsWith("+json"))
                    || "text".equals(type.getType()) && "json".equals(subtype);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String printable(String value) {
        String clean = value.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "…" : clean;
    }
}
