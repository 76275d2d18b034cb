package ar.connector.links;

import org.springframework.stereotype.Component;

import ar.connector.secrets.SecretCipher;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;

/**
 * Seals a link's credentials into their columns and opens them on load, each bound to its row id
 * and column ({@link SecretCipher.Place}). A new row's id exists only once it is inserted, so the
 * insert writes a placeholder and the same transaction's flush writes the sealed values right after
 * (nothing in the clear is ever written; a transaction that fails leaves no row at all).
 */
@Component
class LinkSecrets {

    /** Not a ciphertext: reading it fails, so a row left with it could never pass for a credential. */
    static final String PLACEHOLDER = "sealing";

    private final SecretCipher cipher;

    LinkSecrets(SecretCipher cipher) {
        this.cipher = cipher;
    }

    @PrePersist
    void beforeInsert(Link link) {
        for (Link.Credential credential : Link.Credential.values()) {
            link.seal(credential, link.plain(credential) == null ? null : PLACEHOLDER);
        }
    }

    @PostPersist
    void afterInsert(Link link) {
        sealAll(link);
    }

    @PreUpdate
    void beforeUpdate(Link link) {
        if (link.isUnsealed()) {
            sealAll(link);
        }
    }

    @PostLoad
    void afterLoad(Link link) {
        for (Link.Credential credential : Link.Credential.values()) {
            link.opened(credential, cipher.decrypt(link.sealed(credential), place(link, credential)));
        }
    }

    private void sealAll(Link link) {
        for (Link.Credential credential : Link.Credential.values()) {
            link.seal(credential, cipher.encrypt(link.plain(credential), place(link, credential)));
        }
        link.sealed();
    }

    private static SecretCipher.Place place(Link link, Link.Credential credential) {
        return new SecretCipher.Place("link", link.getId(), credential.column);
    }
}
