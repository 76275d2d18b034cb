package ar.connector.web;

import java.io.IOException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Asks for the admin login with a problem+json answer like every other error: 401 with the Basic
 * challenge, or 429 with Retry-After when the address or user name has spent its failed logins.
 */
public class AdminEntryPoint implements AuthenticationEntryPoint {

    static final String REALM = "connector";

    private final ProblemWriter problems;

    public AdminEntryPoint(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        if (failure instanceof AdminAuthentication.LoginThrottledException throttled) {
            problems.writeRetryLater(request, response, HttpStatus.TOO_MANY_REQUESTS, throttled.getMessage(),
                    throttled.retryAfter());
            return;
        }
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        problems.write(request, response, HttpStatus.UNAUTHORIZED, "The admin login (HTTP Basic) is required");
    }
}
