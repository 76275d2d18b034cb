package ar.connector.links;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import ar.connector.secrets.EncryptedStringConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** One Contabilium account joined with one Jumpseller store, with its settings (SPEC §2). */
@Entity
@Table(name = "link")
public class Link {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String name;

    private String contabiliumClientId;

    @Convert(converter = EncryptedStringConverter.class)
    private String contabiliumClientSecret;

    private String jumpsellerStoreCode;

    private String jumpsellerLogin;

    @Convert(converter = EncryptedStringConverter.class)
    private String jumpsellerAuthToken;

    @Convert(converter = EncryptedStringConverter.class)
    private String jumpsellerHooksToken;

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
        this.contabiliumClientSecret = contabiliumClientSecret;
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
        this.jumpsellerAuthToken = jumpsellerAuthToken;
    }

    public String getJumpsellerHooksToken() {
        return jumpsellerHooksToken;
    }

    public void setJumpsellerHooksToken(String jumpsellerHooksToken) {
        this.jumpsellerHooksToken = jumpsellerHooksToken;
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

    @Override
    public String toString() {
        // Never print credentials.
        return "Link[id=" + id + ", store=" + jumpsellerStoreCode + ", account=" + contabiliumClientId + "]";
    }
}
