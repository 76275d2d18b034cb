package ar.connector.web;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Component;

import ar.connector.config.ConnectorProperties;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Which web pages may drive the connector with an operator's login: those served by the connector
 * itself. That is the origin of {@code connector.public-url} and the origin the request was sent to
 * (its scheme and {@code Host}): a page of that origin is the connector's own page, wherever the
 * operator reached it from (the public URL, or a port-forward to the pod).
 */
@Component
public class ConnectorOrigins {

    private final Optional<String> publicOrigin;

    public ConnectorOrigins(ConnectorProperties properties) {
        URI url = properties.publicUrl();
        this.publicOrigin = url == null || url.toString().isBlank() ? Optional.empty() : origin(url.toString());
    }

    /**
     * Whether an {@code Origin} header (or a {@code Referer}, of which only the origin counts) names
     * one of the connector's own origins. {@code "null"} and anything unparsable are foreign.
     */
    public boolean isOwn(String originOrUrl, HttpServletRequest request) {
        Optional<String> origin = origin(originOrUrl);
        if (origin.isEmpty()) {
            return false;
        }
        return origin.equals(publicOrigin) || origin.equals(requestOrigin(request));
    }

    private static Optional<String> requestOrigin(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (host == null || host.isBlank()) {
            return Optional.empty();
        }
        return origin(request.getScheme() + "://" + host.trim());
    }

    /** {@code scheme://host:port} in lower case with the default port made explicit, or empty. */
    static Optional<String> origin(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(value.trim());
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (scheme == null || host == null) {
                return Optional.empty();
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
            if (port == -1) {
                return Optional.empty();
            }
            return Optional.of(scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
