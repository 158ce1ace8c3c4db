package dev.apikeys.command.web;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 403: the request names an organization that is not among the token's {@code org_ids}. */
class OrganizationForbiddenProblem extends ErrorResponseException {

    OrganizationForbiddenProblem() {
        super(HttpStatus.FORBIDDEN, problem(), null);
    }

    private static ProblemDetail problem() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
                "You do not belong to the organization named in organization_id.");
        problem.setType(URI.create("/problems/organization-forbidden"));
        problem.setTitle("Organization not allowed");
        return problem;
    }
}
