package ar.connector.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import org.springframework.stereotype.Component;

/**
 * AES-256-GCM for credentials at rest. A stored value reads {@code v2:<keyId>:<base64(iv|ciphertext|tag)>},
 * so a value written under the previous key can still be read during a rotation. The additional
 * authenticated data binds each value to its place ({@code link:<row id>:<column>}), so a
 * ciphertext copied into another row or column fails its integrity check. Values written before
 * that binding ({@code v1}, bound to the key id only) are read only by {@link SecretsRotation},
 * which rewrites them at start.
 */
@Component
public class SecretCipher {

    private static final String PREFIX = "v2";
    private static final String LEGACY_PREFIX = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeys keys;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(SecretKeys keys) {
        this.keys = keys;
    }

    /** Where a secret is stored: what its ciphertext is bound to. */
    public record Place(String table, long rowId, String column) {
        String aad(String keyId) {
            return PREFIX + "|" + keyId + "|" + table + ":" + rowId + ":" + column;
        }
    }

    public String encrypt(String plaintext, Place place) {
        if (plaintext == null) {
            return null;
        }
        SecretKeys.NamedKey key = keys.current();
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(place.aad(key.id()).getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return PREFIX + ":" + key.id() + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Encryption failed", e);
        }
    }

    /** The secret stored at {@code place}; fails if the value was made for another place. */
    public String decrypt(String stored, Place place) {
        if (stored == null) {
            return null;
        }
        String[] parts = parts(stored);
        if (!PREFIX.equals(parts[0])) {
            throw new SecretUnreadableException("A stored secret is not in the encrypted format");
        }
        SecretKeys.NamedKey key = key(parts[1]);
        return open(parts[2], key, place.aad(key.id()));
    }

    /** Like {@link #decrypt}, also accepting the v1 format of earlier versions (for the rewrite at start). */
    String decryptAnyFormat(String stored, Place place) {
        if (stored == null) {
            return null;
        }
        String[] parts = parts(stored);
        if (!LEGACY_PREFIX.equals(parts[0])) {
            return decrypt(stored, place);
        }
        SecretKeys.NamedKey key = key(parts[1]);
        return open(parts[2], key, key.id());
    }

    /** True when the value is not (yet) in the current format under the current key, so it must be rewritten. */
    public boolean needsReencryption(String stored) {
        return stored != null && !stored.startsWith(PREFIX + ":" + keys.current().id() + ":");
    }

    private static String[] parts(String stored) {
        String[] parts = stored.split(":", 3);
        if (parts.length != 3 || !(PREFIX.equals(parts[0]) || LEGACY_PREFIX.equals(parts[0]))) {
            throw new SecretUnreadableException("A stored secret is not in the encrypted format");
        }
        return parts;
    }

    private SecretKeys.NamedKey key(String keyId) {
        return keys.byId(keyId).orElseThrow(() -> new SecretUnreadableException(
                "A stored secret was encrypted with key " + keyId + ", which is neither "
                        + "connector.secrets.key nor connector.secrets.previous-key"));
    }

    private static String open(String base64, SecretKeys.NamedKey key, String aad) {
        byte[] in = Base64.getDecoder().decode(base64);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new SecretUnreadableException("A stored secret failed its integrity check under key " + key.id()
                    + " (altered, or copied from another row or column)");
        }
    }

    public static class SecretUnreadableException extends IllegalStateException {
        public SecretUnreadableException(String message) {
            super(message);
        }
    }
}
