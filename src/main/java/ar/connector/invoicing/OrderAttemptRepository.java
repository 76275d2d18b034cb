package ar.connector.invoicing;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

public interface OrderAttemptRepository extends JpaRepository<OrderAttempt, Long> {

    List<OrderAttempt> findByOrderRecordIdOrderByIdAsc(long orderRecordId);
}
