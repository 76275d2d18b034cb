package ar.connector.invoicing;

import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface OrderRecordRepository extends JpaRepository<OrderRecord, Long> {

    Optional<OrderRecord> findByLinkIdAndOrderId(long linkId, long orderId);

    Page<OrderRecord> findByLinkIdOrderByOrderIdDesc(long linkId, Pageable pageable);

    Page<OrderRecord> findByLinkIdAndStatusOrderByOrderIdDesc(long linkId, OrderStatus status, Pageable pageable);

    @Query("select r.status, count(r) from OrderRecord r where r.runId = :runId group by r.status")
    List<Object[]> countByStatusForRun(@Param("runId") String runId);
}
