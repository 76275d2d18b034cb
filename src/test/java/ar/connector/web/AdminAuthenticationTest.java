package ar.connector.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import ar.connector.testsupport.TestConnector;

/** The admin login check: one password hash per remembered login, and throttled failures. */
class AdminAuthenticationTest {

    final AtomicInteger hashChecks = new AtomicInteger();
    final PasswordEncoder counting = new PasswordEncoder() {
        final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);

        @Override
        public String encode(CharSequence raw) {
            return bcrypt.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            hashChecks.incrementAndGet();
            return bcrypt.matches(raw, encoded);
        }
    };
    final LoginThrottle throttle = new LoginThrottle(TestConnector.properties(
            "security.login-failures-per-address", 3, "security.login-failures-per-user", 5,
            "security.login-failure-window", "1h"));
    final AdminAuthentication login = new AdminAuthentication(passwords(), throttle, Duration.ofMinutes(5));

    @Test
    void aVerifiedLoginIsCheckedAgainstThePasswordHashOnlyOnce() {
        for (int i = 0; i < 100; i++) {
            Authentication result = login.authenticate(attempt("10.0.0.1", "admin", "s3cret"));
            assertThat(result.isAuthenticated()).isTrue();
            assertThat(result.getName()).isEqualTo("admin");
        }
        assertThat(hashChecks).hasValue(1);

        assertThatThrownBy(() -> login.authenticate(attempt("10.0.0.1", "admin", "s3cret-not")))
                .isInstanceOf(BadCredentialsException.class);
        assertThatThrownBy(() -> login.authenticate(attempt("10.0.0.1", "admin ", "s3cret")))
                .isInstanceOf(BadCredentialsException.class);
        assertThat(hashChecks.get()).as("a different password or name is checked anew").isGreaterThan(1);
    }

    @Test
    void failuresAreCountedPerAddressAndPerUserName() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> login.authenticate(attempt("10.0.0.2", "admin", "wrong")))
                    .isInstanceOf(BadCredentialsException.class);
        }
        int checks = hashChecks.get();
        assertThatThrownBy(() -> login.authenticate(attempt("10.0.0.2", "admin", "s3cret")))
                .isInstanceOf(AdminAuthentication.LoginThrottledException.class)
                .satisfies(e -> assertThat(((AdminAuthentication.LoginThrottledException) e).retryAfter())
                        .isPositive());
        assertThat(hashChecks).as("a throttled attempt costs no hash").hasValue(checks);

        // Two more failures for "admin" from elsewhere spend the name's five.
        for (String address : new String[] {"10.0.0.3", "10.0.0.4"}) {
            assertThatThrownBy(() -> login.authenticate(attempt(address, "admin", "wrong")))
                    .isInstanceOf(BadCredentialsException.class);
        }
        assertThatThrownBy(() -> login.authenticate(attempt("10.0.0.5", "Admin", "s3cret")))
                .isInstanceOf(AdminAuthentication.LoginThrottledException.class);
        assertThat(login.authenticate(attempt("10.0.0.5", "someone", "else")).isAuthenticated()).isTrue();
    }

    private DaoAuthenticationProvider passwords() {
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager(
                User.withUsername("admin").password(counting.encode("s3cret")).roles("ADMIN").build(),
                User.withUsername("someone").password(counting.encode("else")).roles("ADMIN").build());
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(counting);
        return provider;
    }

    private static Authentication attempt(String address, String user, String password) {
        UsernamePasswordAuthenticationToken token = UsernamePasswordAuthenticationToken.unauthenticated(user, password);
        token.setDetails(new WebAuthenticationDetails(address, null));
        return token;
    }
}
