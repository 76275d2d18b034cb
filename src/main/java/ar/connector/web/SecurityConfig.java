package ar.connector.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

/**
 * HTTP Basic for the admin API and every actuator endpoint but health; the webhook receiver is
 * public because Jumpseller signs its calls instead. The merchant console ({@code /console/**}) is
 * for browsers: a login form, a session and CSRF tokens on its forms.
 */
@Configuration
public class SecurityConfig {

    @Bean
    @Order(1)
    SecurityFilterChain consoleChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/console/**")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/console/login", "/console/assets/**").permitAll()
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage("/console/login").defaultSuccessUrl("/console", false))
                .logout(logout -> logout.logoutUrl("/console/logout").logoutSuccessUrl("/console/login?salida"))
                .headers(headers -> headers.frameOptions(frame -> frame.deny()));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        // Only the request's own credentials count here, never a console session: the API ignores
        // CSRF tokens, so a browser's session cookie must not be able to drive it.
        http.securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/webhooks/**").permitAll()
                        // Signed links to invoice PDFs that buyers open from Jumpseller (DocumentLinks).
                        .requestMatchers("/documents/**").permitAll()
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**").permitAll()
                        .requestMatchers("/error").permitAll()
                        .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .csrf(csrf -> csrf.ignoringRequestMatchers("/api/**", "/webhooks/**", "/actuator/**"));
        return http.build();
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
