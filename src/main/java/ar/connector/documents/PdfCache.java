package ar.connector.documents;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import ar.connector.config.ConnectorProperties;

/**
 * The {@code document_pdf} table: issued documents' PDFs by Contabilium account and document id,
 * at most {@code connector.documents.cache-size} bytes in all. A read marks the row as used (at most
 * once an hour, so a burst of reads of one PDF writes nothing); past the size, the least recently
 * used rows go. Replicas share it; two of them storing the same PDF at once keep the first.
 */
@Component
class PdfCache {

    private static final Duration TOUCH_AFTER = Duration.ofHours(1);

    private final JdbcTemplate jdbc;
    private final long maxBytes;

    PdfCache(JdbcTemplate jdbc, ConnectorProperties properties) {
        this.jdbc = jdbc;
        this.maxBytes = properties.documents().cacheSize().toBytes();
    }

    Optional<byte[]> get(String account, long documentId) {
        record Row(byte[] pdf, OffsetDateTime lastRead) {
        }
        List<Row> rows = jdbc.query("select pdf, last_read_at from document_pdf where account_id = ? and document_id = ?",
                (rs, n) -> new Row(rs.getBytes("pdf"), rs.getObject("last_read_at", OffsetDateTime.class)),
                account, documentId);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        if (rows.get(0).lastRead().toInstant().isBefore(Instant.now().minus(TOUCH_AFTER))) {
            jdbc.update("update document_pdf set last_read_at = ? where account_id = ? and document_id = ?",
                    Timestamp.from(Instant.now()), account, documentId);
        }
        return Optional.of(rows.get(0).pdf());
    }

    void put(String account, long documentId, byte[] pdf) {
        if (pdf.length > maxBytes / 10) {
            return; // one document must not push out a tenth of the cache
        }
        Timestamp now = Timestamp.from(Instant.now());
        try {
            jdbc.update("insert into document_pdf (account_id, document_id, pdf, size_bytes, stored_at, last_read_at) "
                    + "values (?, ?, ?, ?, ?, ?)", account, documentId, pdf, pdf.length, now, now);
        } catch (DuplicateKeyException storedByAnother) {
            return;
        }
        evictBeyondSize();
    }

    private void evictBeyondSize() {
        long total;
        while ((total = totalBytes()) > maxBytes) {
            List<Map<String, Object>> oldest = jdbc.queryForList("select account_id, document_id, size_bytes "
                    + "from document_pdf order by last_read_at, stored_at fetch first 20 rows only");
            for (Map<String, Object> row : oldest) {
                if (total <= maxBytes) {
                    break;
                }
                jdbc.update("delete from document_pdf where account_id = ? and document_id = ?",
                        row.get("account_id"), row.get("document_id"));
                total -= ((Number) row.get("size_bytes")).longValue();
            }
        }
    }

    long totalBytes() {
        return jdbc.queryForObject("select coalesce(sum(size_bytes), 0) from document_pdf", Long.class);
    }
}
