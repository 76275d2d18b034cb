package ar.connector.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

import ar.connector.config.ConnectorProperties;

/**
 * The operator's login ({@code connector.admin.username}/{@code .password}). With no password
 * configured, one is generated into {@code <data-dir>/admin-password} (never logged); the
 * {@code prod} profile refuses to start without a configured one.
 */
@Component
public class AdminCredentials {

    private static final Logger log = LoggerFactory.getLogger(AdminCredentials.class);

    private final String username;
    private final String password;

    public AdminCredentials(ConnectorProperties properties, Environment environment) {
        this.username = properties.admin().username();
        String configured = properties.admin().password();
        if (configured != null && !configured.isBlank()) {
            this.password = configured;
        } else if (environment.acceptsProfiles(Profiles.of("prod"))) {
            throw new IllegalStateException("The prod profile requires connector.admin.password; refusing to start without it.");
        } else {
            this.password = loadOrGenerate(properties.dataDir().resolve("admin-password"));
        }
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    private static String loadOrGenerate(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] raw = new byte[18];
                new SecureRandom().nextBytes(raw);
                Files.createDirectories(file.getParent());
                Files.writeString(file, HexFormat.of().formatHex(raw), StandardCharsets.US_ASCII);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the file keeps the default permissions
                }
                log.warn("No connector.admin.password configured: generated one into {} (user '{}')",
                        file.toAbsolutePath(), "admin");
            }
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read or create " + file.toAbsolutePath(), e);
        }
    }
}
