package ar.connector.invoicing;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One attempt at an order: where it came from, how it ended, and why. */
@Entity
@Table(name = "order_attempt")
public class OrderAttempt {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private long orderRecordId;
    private Instant at;
    private String source;
    private String outcome;
    private String detail;

    protected OrderAttempt() {
    }

    public OrderAttempt(long orderRecordId, String source, String outcome, String detail) {
        this.orderRecordId = orderRecordId;
        this.at = Instant.now();
        this.source = source;
        this.outcome = outcome;
        this.detail = detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 2000);
    }

    public Instant getAt() { return at; }
    public String getSource() { return source; }
    public String getOutcome() { return outcome; }
    public String getDetail() { return detail; }
}
