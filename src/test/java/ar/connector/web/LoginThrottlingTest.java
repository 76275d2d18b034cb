package ar.connector.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import ar.connector.config.ConnectorProperties;
import ar.connector.support.ConnectorTest;
import ar.connector.support.Http;
import ar.connector.support.LoopbackHttp;

/**
 * Guessing the admin password does not pay: once a client address, or a user name, has spent its
 * failed logins, every further attempt of it (even a right one) answers 429 problem+json with
 * Retry-After, without a password check, while other addresses and the real admin go on working.
 * Each test speaks from loopback addresses of its own and guesses for made-up user names.
 */
@ConnectorTest
class LoginThrottlingTest {

    @LocalServerPort
    int port;

    @Autowired
    ConnectorProperties properties;

    @Test
    void anAddressThatSpentItsFailedLoginsGets429EvenWithTheRightPassword() {
        String attacker = "127.0.0.21";
        int refused = guessUntilThrottled(i -> attacker, "guesser-a");
        assertThat(refused).as("wrong passwords answered 401 before the first 429")
                .isGreaterThanOrEqualTo(properties.security().loginFailuresPerAddress());

        LoopbackHttp.Answer throttled = basicGet(attacker, ConnectorTest.ADMIN_USER, ConnectorTest.ADMIN_PASSWORD);
        assertTooMany(throttled);

        assertThat(basicGet("127.0.0.22", ConnectorTest.ADMIN_USER, ConnectorTest.ADMIN_PASSWORD).status())
                .as("another address is not affected").isEqualTo(200);
        assertThat(Http.basic("http://127.0.0.1:" + port, ConnectorTest.ADMIN_USER, ConnectorTest.ADMIN_PASSWORD)
                .get("/api/links").status()).isEqualTo(200);
    }

    @Test
    void aUserNameGuessedFromManyAddressesGets429FromAnyAddress() {
        // One guess per address: no address reaches its own budget.
        int refused = guessUntilThrottled(i -> "127.0.1." + (i % 250 + 1), "guesser-b");
        assertThat(refused).isGreaterThanOrEqualTo(properties.security().loginFailuresPerUser());

        assertTooMany(basicGet("127.0.2.1", "GUESSER-B", "yet-another-guess"));
        assertThat(basicGet("127.0.2.1", ConnectorTest.ADMIN_USER, ConnectorTest.ADMIN_PASSWORD).status())
                .as("the address itself may still log in as another user").isEqualTo(200);
    }

    @Test
    void aThrottledAddressIsSentBackToTheConsolesLoginPageWithAMessage() {
        String attacker = "127.0.0.23";
        guessUntilThrottled(i -> attacker, "guesser-c");
        LoopbackHttp.Answer page = LoopbackHttp.send(attacker, port, "GET", "/console/login", Map.of(), null);
        String cookie = page.header("Set-Cookie").split(";")[0];
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
        assertThat(csrf.find()).isTrue();

        LoopbackHttp.Answer login = LoopbackHttp.send(attacker, port, "POST", "/console/login",
                Map.of("Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded"),
                "username=admin&password=" + ConnectorTest.ADMIN_PASSWORD + "&_csrf=" + csrf.group(1));

        assertThat(login.status()).isEqualTo(302);
        assertThat(login.header("Location")).endsWith("/console/login?demasiados");
        LoopbackHttp.Answer shown = LoopbackHttp.send(attacker, port, "GET", "/console/login?demasiados",
                Map.of("Cookie", cookie), null);
        assertThat(shown.body()).contains("Demasiados intentos");
    }

    /**
     * Wrong passwords until the first 429 (which it checks); answers how many were refused with 401
     * before it. Bounded: a budget refilled meanwhile (a window passing on a slow machine) only
     * means a few more tries.
     */
    private int guessUntilThrottled(java.util.function.IntFunction<String> address, String user) {
        int limit = 3 * Math.max(properties.security().loginFailuresPerAddress(),
                properties.security().loginFailuresPerUser());
        for (int i = 0; i < limit; i++) {
            LoopbackHttp.Answer answer = basicGet(address.apply(i), user, "guess-" + i);
            if (answer.status() == 429) {
                assertTooMany(answer);
                return i;
            }
            assertThat(answer.status()).isEqualTo(401);
        }
        throw new AssertionError("no 429 after " + limit + " wrong passwords for " + user);
    }

    private LoopbackHttp.Answer basicGet(String from, String user, String password) {
        return LoopbackHttp.send(from, port, "GET", "/api/links",
                Map.of("Authorization", LoopbackHttp.basic(user, password)), null);
    }

    private static void assertTooMany(LoopbackHttp.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(429);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.body()).contains("\"status\":429");
        assertThat(Long.parseLong(answer.header("Retry-After"))).isPositive();
    }
}
