package dev.apikeys.query.audit;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface AuditKeyStates extends JpaRepository<AuditKeyState, UUID> {
}
