package dev.apikeys.query.projection;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

/** The read model's table of keys. */
public interface ApiKeyViews extends JpaRepository<ApiKeyView, UUID> {

    /** A caller's live keys, newest first (served by index (user_id, created_at desc)). */
    List<ApiKeyView> findByUserIdAndDeletedFalseOrderByCreatedAtDescIdDesc(String userId);
}
