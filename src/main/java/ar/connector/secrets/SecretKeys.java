package ar.connector.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

import ar.connector.config.ConnectorProperties;

/**
 * The key that encrypts stored credentials ({@code connector.secrets.key}) and, while rotating,
 * the one it replaces ({@code connector.secrets.previous-key}). Without a configured key the
 * connector generates one under the data directory, unless the {@code prod} profile is active.
 */
@Component
public class SecretKeys {

    private static final Logger log = LoggerFactory.getLogger(SecretKeys.class);
    static final String GENERATED_KEY_FILE = "secrets.key";

    private final NamedKey current;
    private final Optional<NamedKey> previous;

    public SecretKeys(ConnectorProperties properties, Environment environment) {
        ConnectorProperties.Secrets secrets = properties.secrets();
        if (hasText(secrets.key())) {
            this.current = NamedKey.parse("connector.secrets.key", secrets.key());
        } else if (environment.acceptsProfiles(Profiles.of("prod"))) {
            throw new IllegalStateException("The prod profile requires connector.secrets.key "
                    + "(a base64 256-bit key, e.g. `openssl rand -base64 32`); refusing to start without it.");
        } else {
            this.current = loadOrGenerate(properties.dataDir().resolve(GENERATED_KEY_FILE));
        }
        this.previous = hasText(secrets.previousKey())
                ? Optional.of(NamedKey.parse("connector.secrets.previous-key", secrets.previousKey()))
                : Optional.empty();
    }

    public NamedKey current() {
        return current;
    }

    public Optional<NamedKey> previous() {
        return previous;
    }

    /** The key whose id is {@code keyId}, if it is the current or the previous one. */
    public Optional<NamedKey> byId(String keyId) {
        if (current.id().equals(keyId)) {
            return Optional.of(current);
        }
        return previous.filter(key -> key.id().equals(keyId));
    }

    private static NamedKey loadOrGenerate(Path file) {
        try {
            if (Files.exists(file)) {
                return NamedKey.parse(file.toString(), Files.readString(file, StandardCharsets.US_ASCII).trim());
            }
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            Files.createDirectories(file.getParent());
            Files.writeString(file, Base64.getEncoder().encodeToString(raw), StandardCharsets.US_ASCII);
            restrictToOwner(file);
            log.warn("""

                    ************************************************************************
                    * No connector.secrets.key configured: generated a new key in          *
                    *   {}
                    * Stored credentials are encrypted with it. Back it up, or configure    *
                    * connector.secrets.key yourself (the prod profile requires it).        *
                    ************************************************************************""",
                    file.toAbsolutePath());
            return NamedKey.parse(file.toString(), Base64.getEncoder().encodeToString(raw));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read or create the secrets key file " + file.toAbsolutePath(), e);
        }
    }

    static void restrictToOwner(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            log.debug("Could not restrict permissions of {}", file, e);
        }
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    /** An AES-256 key with a short public id (a digest prefix) recorded beside each ciphertext. */
    public record NamedKey(String id, SecretKey key) {

        static NamedKey parse(String source, String base64) {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(base64.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(source + " is not valid base64");
            }
            if (raw.length != 32) {
                throw new IllegalStateException(source + " must be a 256-bit key (32 bytes, base64), got "
                        + raw.length + " bytes");
            }
            return new NamedKey(idOf(raw), new SecretKeySpec(raw, "AES"));
        }

        private static String idOf(byte[] raw) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw);
                return HexFormat.of().formatHex(digest, 0, 4);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return "NamedKey[" + id + "]";
        }
    }
}
