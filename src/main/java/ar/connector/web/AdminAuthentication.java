package ar.connector.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The admin login, for HTTP Basic and the console's form alike. Before checking a password it asks
 * {@link LoginThrottle} whether the client address or the user name has spent its failures (then
 * {@link LoginThrottledException}, answered 429); a failure is counted against both. A verified
 * login is remembered for a short while under an HMAC of user and password with a key drawn at
 * start (never the password itself), so the API's clients, which send Basic with every call, pay
 * for the password hash once per period instead of on every request.
 */
public class AdminAuthentication implements AuthenticationProvider {

    private final DaoAuthenticationProvider passwords;
    private final LoginThrottle throttle;
    private final Cache<String, UserDetails> verified;
    private final SecretKeySpec cacheKey;

    public AdminAuthentication(DaoAuthenticationProvider passwords, LoginThrottle throttle, Duration verifiedFor) {
        this.passwords = passwords;
        this.throttle = throttle;
        this.verified = Caffeine.newBuilder().maximumSize(100).expireAfterWrite(verifiedFor).build();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.cacheKey = new SecretKeySpec(key, "HmacSHA256");
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String user = authentication.getName();
        String password = authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
        String address = authentication.getDetails() instanceof WebAuthenticationDetails details
                && details.getRemoteAddress() != null ? details.getRemoteAddress() : "unknown";
        var refusal = throttle.refusal(address, user);
        if (refusal.isPresent()) {
            throw new LoginThrottledException(refusal.get());
        }
        String key = fingerprint(user, password);
        UserDetails known = verified.getIfPresent(key);
        if (known != null) {
            UsernamePasswordAuthenticationToken result = UsernamePasswordAuthenticationToken.authenticated(
                    known, null, known.getAuthorities());
            result.setDetails(authentication.getDetails());
            return result;
        }
        Authentication result;
        try {
            result = passwords.authenticate(authentication);
        } catch (AuthenticationException e) {
            throttle.failed(address, user);
            throw e;
        }
        if (result != null && result.getPrincipal() instanceof UserDetails details) {
            verified.put(key, details);
        }
        return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private String fingerprint(String user, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(cacheKey);
            mac.update(user.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Too many failed logins from this address or for this user name: try again after {@link #retryAfter()}. */
    public static class LoginThrottledException extends AuthenticationException {

        private final Duration retryAfter;

        public LoginThrottledException(Duration retryAfter) {
            super("Too many failed logins; try again in " + ProblemWriter.retryAfterSeconds(retryAfter) + " s");
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }
}
