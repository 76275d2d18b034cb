package ar.connector.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import javax.management.ObjectName;

import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;
import org.jolokia.server.core.http.AgentServlet;
import org.jolokia.support.spring.actuator.JolokiaEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.web.EndpointServlet;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import ar.connector.web.ConnectorOrigins;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The one Jolokia ({@code /actuator/jolokia}, which Hawtio calls too) with the connector's access
 * policy. The MBean rules live in {@code jolokia-access.xml}; this adds what a static file cannot
 * say: a browser request (one with an {@code Origin} or {@code Referer}) must come from the
 * connector's own origin ({@link ConnectorOrigins}), so Jolokia never answers another site with
 * {@code Access-Control-Allow-Origin}; and operations run only for POST requests, so a link on some
 * other page cannot stop a route with the operator's login. Jolokia's stock auto-configuration is
 * excluded (application.yaml) in favour of the endpoint below, which hands the servlet this
 * restrictor; Hawtio finds it as the {@link JolokiaEndpoint} it forwards to.
 */
@Configuration
public class JolokiaAccess {

    static final String POLICY = "jolokia-access.xml";

    @Bean
    JolokiaEndpoint jolokiaEndpoint(ConnectorOrigins origins) {
        Restrictor restrictor = new ConnectorRestrictor(policy(), origins);
        // Neither error details nor stack traces in answers; no multicast discovery.
        Map<String, String> config = Map.of("allowErrorDetails", "false", "includeStackTrace", "false",
                "discoveryEnabled", "false");
        return new JolokiaEndpoint(config) {
            @Override
            public EndpointServlet get() {
                return new EndpointServlet(new AgentServlet(restrictor)).withInitParameters(config);
            }
        };
    }

    static PolicyRestrictor policy() {
        try (InputStream in = new ClassPathResource(POLICY).getInputStream()) {
            return new PolicyRestrictor(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Jolokia access policy " + POLICY, e);
        }
    }

    /** The file's rules, plus the origin check and exec (and write) for POST only. */
    static final class ConnectorRestrictor implements Restrictor {

        private static final Logger log = LoggerFactory.getLogger(ConnectorRestrictor.class);

        private final PolicyRestrictor policy;
        private final ConnectorOrigins origins;

        ConnectorRestrictor(PolicyRestrictor policy, ConnectorOrigins origins) {
            this.policy = policy;
            this.origins = origins;
        }

        @Override
        public boolean isHttpMethodAllowed(HttpMethod method) {
            return policy.isHttpMethodAllowed(method);
        }

        @Override
        public boolean isTypeAllowed(RequestType type) {
            return policy.isTypeAllowed(type);
        }

        @Override
        public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
            return logged(policy.isAttributeReadAllowed(name, attribute), "read", name, attribute);
        }

        @Override
        public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
            return logged(isPost() && policy.isAttributeWriteAllowed(name, attribute), "write", name, attribute);
        }

        @Override
        public boolean isOperationAllowed(ObjectName name, String operation) {
            return logged(isPost() && policy.isOperationAllowed(name, operation), "exec", name, operation);
        }

        @Override
        public boolean isRemoteAccessAllowed(String... hostOrAddress) {
            return policy.isRemoteAccessAllowed(hostOrAddress);
        }

        /**
         * Strict: every Origin (or Referer) given must be the connector's own, for the CORS headers
         * as well as for the request itself. A request with neither comes from no web page (browsers
         * send Origin with every POST and every cross-origin call), so it carries no other site's
         * intent and passes.
         */
        @Override
        public boolean isOriginAllowed(String origin, boolean onlyWhenStrictCheckingIsEnabled) {
            if (origin == null) {
                return true;
            }
            HttpServletRequest request = currentRequest();
            return request != null && origins.isOwn(origin, request);
        }

        @Override
        public boolean isObjectNameHidden(ObjectName name) {
            return policy.isObjectNameHidden(name);
        }

        private static boolean isPost() {
            HttpServletRequest request = currentRequest();
            return request != null && "POST".equals(request.getMethod());
        }

        private static HttpServletRequest currentRequest() {
            // Spring's RequestContextFilter binds every request, the Jolokia servlet's included.
            return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                    ? attributes.getRequest() : null;
        }

        private static boolean logged(boolean allowed, String what, ObjectName name, String member) {
            if (!allowed) {
                log.debug("Jolokia policy refused {} {} on {}", what, member, name);
            }
            return allowed;
        }
    }
}
