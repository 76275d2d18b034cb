package ar.connector.links;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import jakarta.persistence.Version;

/** One Contabilium account joined with one Jumpseller store, with its settings (SPEC §2). */
@Entity
@Table(name = "link")
@EntityListeners(LinkSecrets.class)
public class Link {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String name;

    private String contabiliumClientId;

    // The credentials: sealed in their columns (LinkSecrets), in the clear only in memory.
    @Column(name = "contabilium_client_secret")
    private String sealedContabiliumClientSecret;

    @Transient
    private String contabiliumClientSecret;

    private String jumpsellerStoreCode;

    private String jumpsellerLogin;

    @Column(name = "jumpseller_auth_token")
    private String sealedJumpsellerAuthToken;

    @Transient
    private String jumpsellerAuthToken;

    @Column(name = "jumpseller_hooks_token")
    private String sealedJumpsellerHooksToken;

    @Transient
    private String jumpsellerHooksToken;

    /** A credential was set since the columns were last sealed. */
    @Transient
    private boolean unsealed;

    /** The store code while active, null once unlinked: the database keeps it unique. */
    private String activeStoreCode;

    @Embedded
    private LinkSettings settings = new LinkSettings();

    private Long startAfterOrderId;

    /** The highest order id the catch-up poll has read. */
    private Long lastSeenOrderId;

    @Column(nullable = false)
    private Instant createdAt;

    @Column(nullable = false)
    private Instant updatedAt;

    private Instant unlinkedAt;

    @Version
    private long version;

    protected Link() {
    }

    public Link(String jumpsellerStoreCode) {
        this.jumpsellerStoreCode = jumpsellerStoreCode;
        this.activeStoreCode = jumpsellerStoreCode;
        this.createdAt = now();
        this.updatedAt = createdAt;
    }

    /** Whether a canceled invoiced order gets its credit note without asking a person. */
    public boolean isAutoCreditNote() {
        return settings.isAutoCreditNote();
    }

    public boolean isActive() {
        return unlinkedAt == null;
    }

    public void unlink() {
        this.unlinkedAt = now();
        this.activeStoreCode = null;
        touch();
    }

    void touch() {
        this.updatedAt = now();
    }

    /**
     * The current instant at the precision the database keeps (microseconds, in H2 and PostgreSQL),
     * so the answer to a write shows the same timestamps as every later read.
     */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getContabiliumClientId() {
        return contabiliumClientId;
    }

    public void setContabiliumClientId(String contabiliumClientId) {
        this.contabiliumClientId = contabiliumClientId;
    }

    public String getContabiliumClientSecret() {
        return contabiliumClientSecret;
    }

    public void setContabiliumClientSecret(String contabiliumClientSecret) {
        if (!java.util.Objects.equals(this.contabiliumClientSecret, contabiliumClientSecret)) {
            this.contabiliumClientSecret = contabiliumClientSecret;
            credentialChanged();
        }
    }

    public String getJumpsellerStoreCode() {
        return jumpsellerStoreCode;
    }

    public void setJumpsellerStoreCode(String jumpsellerStoreCode) {
        this.jumpsellerStoreCode = jumpsellerStoreCode;
        if (isActive()) {
            this.activeStoreCode = jumpsellerStoreCode;
        }
    }

    public String getJumpsellerLogin() {
        return jumpsellerLogin;
    }

    public void setJumpsellerLogin(String jumpsellerLogin) {
        this.jumpsellerLogin = jumpsellerLogin;
    }

    public String getJumpsellerAuthToken() {
        return jumpsellerAuthToken;
    }

    public void setJumpsellerAuthToken(String jumpsellerAuthToken) {
        if (!java.util.Objects.equals(this.jumpsellerAuthToken, jumpsellerAuthToken)) {
            this.jumpsellerAuthToken = jumpsellerAuthToken;
            credentialChanged();
        }
    }

    public String getJumpsellerHooksToken() {
        return jumpsellerHooksToken;
    }

    public void setJumpsellerHooksToken(String jumpsellerHooksToken) {
        if (!java.util.Objects.equals(this.jumpsellerHooksToken, jumpsellerHooksToken)) {
            this.jumpsellerHooksToken = jumpsellerHooksToken;
            credentialChanged();
        }
    }

    public LinkSettings getSettings() {
        return settings;
    }

    public void setSettings(LinkSettings settings) {
        this.settings = settings;
    }

    public Long getStartAfterOrderId() {
        return startAfterOrderId;
    }

    public void setStartAfterOrderId(Long startAfterOrderId) {
        this.startAfterOrderId = startAfterOrderId;
    }

    public Long getLastSeenOrderId() {
        return lastSeenOrderId;
    }

    public void setLastSeenOrderId(Long lastSeenOrderId) {
        this.lastSeenOrderId = lastSeenOrderId;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public Instant getUnlinkedAt() {
        return unlinkedAt;
    }

    private void credentialChanged() {
        unsealed = true;
        // A changed row: the flush seals the credentials (LinkSecrets, before the update).
        touch();
    }

    /** The three credential columns, each read or written with the secret it holds. */
    enum Credential {
        CONTABILIUM_CLIENT_SECRET("contabilium_client_secret"),
        JUMPSELLER_AUTH_TOKEN("jumpseller_auth_token"),
        JUMPSELLER_HOOKS_TOKEN("jumpseller_hooks_token");

        final String column;

        Credential(String column) {
            this.column = column;
        }
    }

    String plain(Credential credential) {
        return switch (credential) {
            case CONTABILIUM_CLIENT_SECRET -> contabiliumClientSecret;
            case JUMPSELLER_AUTH_TOKEN -> jumpsellerAuthToken;
            case JUMPSELLER_HOOKS_TOKEN -> jumpsellerHooksToken;
        };
    }

    String sealed(Credential credential) {
        return switch (credential) {
            case CONTABILIUM_CLIENT_SECRET -> sealedContabiliumClientSecret;
            case JUMPSELLER_AUTH_TOKEN -> sealedJumpsellerAuthToken;
            case JUMPSELLER_HOOKS_TOKEN -> sealedJumpsellerHooksToken;
        };
    }

    /** After a load: the credentials as read from their sealed columns. */
    void opened(Credential credential, String plain) {
        switch (credential) {
            case CONTABILIUM_CLIENT_SECRET -> contabiliumClientSecret = plain;
            case JUMPSELLER_AUTH_TOKEN -> jumpsellerAuthToken = plain;
            case JUMPSELLER_HOOKS_TOKEN -> jumpsellerHooksToken = plain;
        }
    }

    void seal(Credential credential, String sealed) {
        switch (credential) {
            case CONTABILIUM_CLIENT_SECRET -> sealedContabiliumClientSecret = sealed;
            case JUMPSELLER_AUTH_TOKEN -> sealedJumpsellerAuthToken = sealed;
            case JUMPSELLER_HOOKS_TOKEN -> sealedJumpsellerHooksToken = sealed;
        }
    }

    boolean isUnsealed() {
        return unsealed;
    }

    void sealed() {
        unsealed = false;
    }

    @Override
    public String toString() {
        // Never print credentials.
        return "Link[id=" + id + ", store=" + jumpsellerStoreCode + ", account=" + contabiliumClientId + "]";
    }
}
