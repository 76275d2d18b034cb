package ar.connector.invoicing;

import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/**
 * The order log. Queries run once or more per invoiced order are written out in JPQL: Hibernate keeps
 * the plan of a JPQL query, while a derived query (a criteria query underneath) is translated to SQL
 * again on every call, which costs more CPU than running it.
 */
public interface OrderRecordRepository extends JpaRepository<OrderRecord, Long> {

    @Query("select r from OrderRecord r where r.linkId = :linkId and r.orderId = :orderId")
    Optional<OrderRecord> findByLinkIdAndOrderId(@Param("linkId") long linkId, @Param("orderId") long orderId);

    Page<OrderRecord> findByLinkIdOrderByOrderIdDesc(long linkId, Pageable pageable);

    Page<OrderRecord> findByLinkIdAndStatusOrderByOrderIdDesc(long linkId, OrderStatus status, Pageable pageable);

    /**
     * The log filtered by an optional status and a search: the order number itself, or a part of
     * the buyer's name or e-mail (case-insensitive). {@code text} is lower-case and null for none.
     */
    @Query("select r from OrderRecord r where r.linkId = :linkId and (:status is null or r.status = :status)"
            + " and (:text is null or r.orderId = :number or lower(r.buyerName) like concat('%', :text, '%')"
            + " or lower(r.buyerEmail) like concat('%', :text, '%')) order by r.orderId desc")
    Page<OrderRecord> search(@Param("linkId") long linkId, @Param("status") OrderStatus status,
            @Param("text") String text, @Param("number") Long number, Pageable pageable);

    long countByLinkIdAndStatus(long linkId, OrderStatus status);

    /** Orders of a bulk run that were invoiced before the run began (the run found them done). */
    long countByRunIdAndStatusInAndInvoicedAtBefore(String runId, java.util.Collection<OrderStatus> statuses,
            java.time.Instant before);
}
