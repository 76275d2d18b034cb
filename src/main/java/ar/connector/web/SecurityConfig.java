package ar.connector.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.ExceptionMappingAuthenticationFailureHandler;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

import ar.connector.config.ConnectorProperties;

/**
 * Who may call what.
 * <ul>
 * <li>The merchant console ({@code /console/**}) is for browsers: a login form, a session, CSRF tokens
 * on its forms and a Content-Security-Policy.</li>
 * <li>Hawtio and Jolokia accept that same session (one login for both consoles) or HTTP Basic; they
 * never create a session themselves, and a change made with the session alone must come from the
 * connector's own pages ({@link CrossOriginGuard}).</li>
 * <li>Everything else (the admin API, the other actuator endpoints) takes only HTTP Basic, holds no
 * session and remembers no request, so anonymous calls leave nothing behind; health, the webhook
 * receiver (Jumpseller signs its calls), the buyers' signed PDF links and the API description are
 * public.</li>
 * </ul>
 * One login check serves all three ({@link AdminAuthentication}: throttled failures, verified
 * logins remembered briefly), and refusals are problem+json ({@link AdminEntryPoint}).
 */
@Configuration
public class SecurityConfig {

    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
            // The run's progress bar is sized with a style attribute; style attributes cannot run script.
            + "style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
            + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    @Bean
    @Order(1)
    SecurityFilterChain consoleChain(HttpSecurity http, AuthenticationManager admin) throws Exception {
        ExceptionMappingAuthenticationFailureHandler failures = new ExceptionMappingAuthenticationFailureHandler();
        failures.setDefaultFailureUrl("/console/login?error");
        failures.setExceptionMappings(java.util.Map.of(
                AdminAuthentication.LoginThrottledException.class.getName(), "/console/login?demasiados"));
        http.securityMatcher("/console/**")
                .authenticationManager(admin)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/console/login", "/console/assets/**").permitAll()
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage("/console/login").defaultSuccessUrl("/console", false)
                        .failureHandler(failures))
                .logout(logout -> logout.logoutUrl("/console/logout").logoutSuccessUrl("/console/login?salida"))
                .headers(headers -> headers.frameOptions(frame -> frame.deny())
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CSP)));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain operatorConsoleChain(HttpSecurity http, AuthenticationManager admin, ProblemWriter problems,
            ConnectorOrigins origins) throws Exception {
        // Reads the console's login from the session, never creates a session.
        HttpSessionSecurityContextRepository sessions = new HttpSessionSecurityContextRepository();
        sessions.setAllowSessionCreation(false);
        AdminEntryPoint entryPoint = new AdminEntryPoint(problems);
        // Path patterns, not MVC ones: Jolokia is a servlet of its own, outside Spring MVC's mappings.
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        http.securityMatcher(new OrRequestMatcher(paths.matcher("/actuator/hawtio"), paths.matcher("/actuator/hawtio/**"),
                        paths.matcher("/actuator/jolokia"), paths.matcher("/actuator/jolokia/**")))
                .authenticationManager(admin)
                .securityContext(context -> context.securityContextRepository(new DelegatingSecurityContextRepository(
                        new RequestAttributeSecurityContextRepository(), sessions)))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .requestCache(cache -> cache.requestCache(new NullRequestCache()))
                .authorizeHttpRequests(auth -> auth.anyRequest().authenticated())
                .httpBasic(basic -> basic.authenticationEntryPoint(entryPoint))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(entryPoint))
                // Hawtio's pages send no Spring CSRF token: the origin checks stand in for it.
                .csrf(csrf -> csrf.disable())
                .addFilterAfter(new CrossOriginGuard(origins, problems, true, AnyRequestMatcher.INSTANCE),
                        AuthorizationFilter.class);
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain apiChain(HttpSecurity http, AuthenticationManager admin, ProblemWriter problems,
            ConnectorOrigins origins) throws Exception {
        AdminEntryPoint entryPoint = new AdminEntryPoint(problems);
        // Only the request's own credentials count here, never a console session: the API takes no
        // CSRF tokens, so a browser's session cookie must not be able to drive it.
        http.authenticationManager(admin)
                .securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.requestCache(new NullRequestCache()))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/webhooks/**").permitAll()
                        // Signed links to invoice PDFs that buyers open from Jumpseller (DocumentLinks).
                        .requestMatchers("/documents/**").permitAll()
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**").permitAll()
                        .requestMatchers("/favicon.ico").permitAll()
                        .requestMatchers("/error").permitAll()
                        .anyRequest().authenticated())
                .httpBasic(basic -> basic.authenticationEntryPoint(entryPoint))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(entryPoint))
                .csrf(csrf -> csrf.disable())
                // Not the webhook receiver: it is public and called by Jumpseller's servers, not by pages.
                .addFilterAfter(new CrossOriginGuard(origins, problems, false, new OrRequestMatcher(
                        PathPatternRequestMatcher.withDefaults().matcher("/api/**"),
                        PathPatternRequestMatcher.withDefaults().matcher("/actuator/**"))), AuthorizationFilter.class);
        return http.build();
    }

    @Bean
    AuthenticationManager adminAuthenticationManager(UserDetailsService adminUsers, PasswordEncoder encoder,
            LoginThrottle throttle, ConnectorProperties properties) {
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(adminUsers);
        passwords.setPasswordEncoder(encoder);
        return new ProviderManager(new AdminAuthentication(passwords, throttle,
                properties.security().verifiedLoginCache()));
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService adminUsers(AdminCredentials credentials, PasswordEncoder encoder) {
        return new InMemoryUserDetailsManager(User.withUsername(credentials.username())
                .password(encoder.encode(credentials.password()))
                .roles("ADMIN")
                .build());
    }
}
