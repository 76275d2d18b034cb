package ar.connector.reconciliation;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import ar.connector.contabilium.CbModel;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.links.Link;

/**
 * Net and IVA of a link's issued documents as Contabilium states them, kept in table
 * document_amount. The order log knows each document's total only; the month's summary needs the
 * split, so it is read once per document, from the pages of the month's documents (50 per call),
 * never one call per document. A reconciliation, which reads those pages anyway, records them too.
 */
@Component
public class DocumentAmounts {

    private final JdbcTemplate jdbc;
    private final ContabiliumClient contabilium;

    public DocumentAmounts(JdbcTemplate jdbc, ContabiliumClient contabilium) {
        this.jdbc = jdbc;
        this.contabilium = contabilium;
    }

    /** Records one issued document's amounts (the first reading wins: an issued document never changes). */
    public void record(long linkId, CbModel.Comprobante doc) {
        if (doc.id() == null || !doc.issued() || doc.importeTotalNeto() == null) {
            return;
        }
        BigDecimal total = doc.importeTotalNeto();
        BigDecimal net = doc.importeTotalBruto() == null ? total : doc.importeTotalBruto();
        Integer known = jdbc.queryForObject("select count(*) from document_amount where link_id = ? and contabilium_id = ?",
                Integer.class, linkId, doc.id());
        if (known != null && known > 0) {
            return;
        }
        try {
            jdbc.update("insert into document_amount (link_id, contabilium_id, net, iva, total) values (?, ?, ?, ?, ?)",
                    linkId, doc.id(), net, total.subtract(net), total);
        } catch (org.springframework.dao.DuplicateKeyException raced) {
            // recorded a moment ago by another reader
        }
    }

    /**
     * Reads the documents dated {@code from}..{@code to} page by page until every one of
     * {@code wanted} (document ids) has its amounts, or the pages end. Throws ApiCallException when
     * Contabilium cannot be read.
     */
    public void fill(Link link, Set<Long> wanted, LocalDate from, LocalDate to) {
        if (wanted.isEmpty()) {
            return;
        }
        Set<Long> missing = new HashSet<>(wanted);
        ContabiliumAccount account = new ContabiliumAccount(link.getContabiliumClientId(), link.getContabiliumClientSecret());
        contabilium.forEachComprobantePage(account, from, to, total -> {
        }, page -> {
            for (CbModel.Comprobante doc : page) {
                if (doc.id() != null && missing.remove(doc.id())) {
                    record(link.getId(), doc);
                }
            }
            return !missing.isEmpty();
        });
    }
}
