package ar.connector.documents;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

import ar.connector.config.ConnectorProperties;
import ar.connector.invoicing.DocumentSlot;
import ar.connector.secrets.SecretKeys;

/**
 * Links to an order's invoice or credit note PDF that a buyer can open from Jumpseller. Contabilium
 * gives a public link only in the answer of {@code emitirFE}; when that answer was lost (and the
 * document recovered by reading it back), the connector serves the PDF itself at
 * {@code <public-url>/documents/<token>.pdf}, the token being signed with a key derived from
 * {@code connector.secrets.key} so nobody can guess another order's link. While
 * {@code connector.secrets.previous-key} is set (a rotation), links signed under it keep working.
 */
@Component
public class DocumentLinks {

    private final Optional<String> publicUrl;
    private final byte[] signingKey;
    /** While a rotation is under way: the key links e-mailed before it were signed with. */
    private final Optional<byte[]> previousSigningKey;

    public DocumentLinks(ConnectorProperties properties, SecretKeys keys) {
        URI url = properties.publicUrl();
        this.publicUrl = url == null || url.toString().isBlank()
                ? Optional.empty() : Optional.of(url.toString().replaceAll("/+$", ""));
        this.signingKey = signingKey(keys.current());
        this.previousSigningKey = keys.previous().map(DocumentLinks::signingKey);
    }

    private static byte[] signingKey(SecretKeys.NamedKey key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("connector-document-links".getBytes(StandardCharsets.US_ASCII));
            return digest.digest(key.key().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The link to use: Contabilium's public one when known, else the connector's own when it has a public URL. */
    public Optional<String> url(String contabiliumLink, long linkId, long orderId, DocumentSlot slot) {
        if (contabiliumLink != null && !contabiliumLink.isBlank()) {
            return Optional.of(contabiliumLink);
        }
        return publicUrl.map(base -> base + "/documents/" + token(linkId, orderId, slot) + ".pdf");
    }

    public String token(long linkId, long orderId, DocumentSlot slot) {
        String payload = linkId + "-" + orderId + "-" + (slot == DocumentSlot.INVOICE ? "f" : "n");
        return payload + "-" + sign(signingKey, payload);
    }

    /** The document a token names, if its signature is right. */
    public Optional<Target> verify(String token) {
        String[] parts = token.split("-");
        if (parts.length != 4 || !parts[0].matches("\\d{1,18}") || !parts[1].matches("\\d{1,18}")
                || !(parts[2].equals("f") || parts[2].equals("n"))) {
            return Optional.empty();
        }
        String payload = parts[0] + "-" + parts[1] + "-" + parts[2];
        byte[] given = parts[3].getBytes(StandardCharsets.US_ASCII);
        boolean signed = MessageDigest.isEqual(sign(signingKey, payload).getBytes(StandardCharsets.US_ASCII), given)
                || previousSigningKey.map(key -> MessageDigest.isEqual(
                        sign(key, payload).getBytes(StandardCharsets.US_ASCII), given)).orElse(false);
        if (!signed) {
            return Optional.empty();
        }
        return Optional.of(new Target(Long.parseLong(parts[0]), Long.parseLong(parts[1]),
                parts[2].equals("f") ? DocumentSlot.INVOICE : DocumentSlot.CREDIT_NOTE));
    }

    private static String sign(byte[] signingKey, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
            byte[] full = mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(full, 16))
                    .replace('-', '.');
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public record Target(long linkId, long orderId, DocumentSlot slot) {
    }
}
