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
 * AES-256-GCM for credentials at rest. A stored value reads {@code v1:<keyId>:<base64(iv|ciphertext|tag)>},
 * so a value written under the previous key can still be read during a rotation.
 */
@Component
public class SecretCipher {

    private static final String PREFIX = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeys keys;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(SecretKeys keys) {
        this.keys = keys;
    }

    public String encrypt(String plaintext) {
        if (plaintext == null) {
            return null;
        }
        SecretKeys.NamedKey key = keys.current();
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(key.id().getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return PREFIX + ":" + key.id() + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Encryption failed", e);
        }
    }

    public String decrypt(String stored) {
        if (stored == null) {
            return null;
        }
        String[] parts = stored.split(":", 3);
        if (parts.length != 3 || !PREFIX.equals(parts[0])) {
            throw new SecretUnreadableException("A stored secret is not in the encrypted format");
        }
        SecretKeys.NamedKey key = keys.byId(parts[1]).orElseThrow(() -> new SecretUnreadableException(
                "A stored secret was encrypted with key " + parts[1] + ", which is neither "
                        + "connector.secrets.key nor connector.secrets.previous-key"));
        byte[] in = Base64.getDecoder().decode(parts[2]);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(key.id().getBytes(StandardCharsets.US_ASCII));
            byte[] plain = cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new SecretUnreadableException("A stored secret failed its integrity check under key " + key.id());
        }
    }

    /** True when the value is not (yet) under the current key, so a rotation must rewrite it. */
    public boolean needsReencryption(String stored) {
        return stored != null && !stored.startsWith(PREFIX + ":" + keys.current().id() + ":");
    }

    public static class SecretUnreadableException extends IllegalStateException {
        public SecretUnreadableException(String message) {
            super(message);
        }
    }
}
