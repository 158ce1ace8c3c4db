package dev.apikeys.query.projection;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** The read model's table of keys. */
public interface ApiKeyViews extends JpaRepository<ApiKeyView, UUID> {

    /** The ids of every key the user ever held, deleted ones too, newest first (same index). */
    @Query("select v.id from ApiKeyView v where v.userId = :userId order by v.createdAt desc, v.id desc")
    List<UUID> findAllIdsOfUser(@Param("userId") String userId);
}
