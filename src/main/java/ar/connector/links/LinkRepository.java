package ar.connector.links;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface LinkRepository extends JpaRepository<Link, Long> {

    List<Link> findByUnlinkedAtIsNullOrderById();

    List<Link> findAllByOrderById();

    Optional<Link> findByActiveStoreCode(String storeCode);

    boolean existsByActiveStoreCode(String storeCode);
}
