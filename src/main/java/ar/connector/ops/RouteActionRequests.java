package ar.connector.ops;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /actuator/camelroutes/{id}/stop} (and start, suspend, resume…) without a body: Camel's
 * endpoint declares an optional JSON body, so Spring Boot answers 415 to a bare POST without
 * {@code Content-Type: application/json}. An empty POST here is treated as an empty JSON one, so
 * {@code curl -X POST -u admin …/stop} works as operators expect.
 */
@Configuration
public class RouteActionRequests {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> bodylessRouteActions() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new EmptyBodyIsJson());
        registration.addUrlPatterns("/actuator/camelroutes/*");
        return registration;
    }

    static final class EmptyBodyIsJson extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            boolean bodyless = request.getContentLengthLong() <= 0 && request.getHeader("Transfer-Encoding") == null;
            if ("POST".equals(request.getMethod()) && bodyless && request.getContentType() == null) {
                chain.doFilter(new JsonContentType(request), response);
            } else {
                chain.doFilter(request, response);
            }
        }
    }

    private static final class JsonContentType extends HttpServletRequestWrapper {

        private static final String HEADER = "Content-Type";

        JsonContentType(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getContentType() {
            return MediaType.APPLICATION_JSON_VALUE;
        }

        @Override
        public String getHeader(String name) {
            return HEADER.equalsIgnoreCase(name) ? getContentType() : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return HEADER.equalsIgnoreCase(name) ? Collections.enumeration(Set.of(getContentType()))
                    : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            Set<String> names = new LinkedHashSet<>(Collections.list(super.getHeaderNames()));
            names.add(HEADER);
            return Collections.enumeration(names);
        }
    }
}
