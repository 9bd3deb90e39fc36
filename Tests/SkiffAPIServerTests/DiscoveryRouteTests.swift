import Foundation
import Testing

@testable import SkiffAPIServer

/// Discovery and OpenAPI as kubectl reads them.
@Suite struct DiscoveryRouteTests {
    @Test func coreAndGroupDiscovery() async throws {
        let api = try await RouterFixture()
        let versions = await api.send("GET", "/api")
        #expect(versions.json["kind"] as? String == "APIVersions" && versions.json["versions"] as? [String] == ["v1"])

        let groups = await api.send("GET", "/apis").json["groups"] as? [[String: Any]] ?? []
        let names = groups.compactMap { $0["name"] as? String }
        #expect(names == ["apps", "batch", "discovery.k8s.io", "coordination.k8s.io", "rbac.authorization.k8s.io"])
        #expect(groups.first?.at("preferredVersion", "groupVersion") as? String == "apps/v1")

        let core = await api.send("GET", "/api/v1/").json["resources"] as? [[String: Any]] ?? []
        let pods = try #require(core.first { $0["name"] as? String == "pods" })
        #expect(pods["shortNames"] as? [String] == ["po"] && pods["categories"] as? [String] == ["all"])
        #expect(pods["namespaced"] as? Bool == true && pods["kind"] as? String == "Pod")
        #expect(pods["verbs"] as? [String] == ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"])
        let eviction = try #require(core.first { $0["name"] as? String == "pods/eviction" })
        #expect(eviction["group"] as? String == "policy" && eviction["kind"] as? String == "Eviction")
        #expect(core.contains { $0["name"] as? String == "pods/binding" })

        let apps = await api.send("GET", "/apis/apps/v1").json["resources"] as? [[String: Any]] ?? []
        let scale = try #require(apps.first { $0["name"] as? String == "deployments/scale" })
        #expect(scale["group"] as? String == "autoscaling" && scale["version"] as? String == "v1")
        #expect(scale["kind"] as? String == "Scale")
        #expect(await api.send("GET", "/apis/apps").json["kind"] as? String == "APIGroup")
        #expect(await api.send("GET", "/apis/nothing").status == 404)
    }

    /// kubectl leaves field validation to a server whose OpenAPI v3 document has a
    /// PATCH operation for the kind with a fieldValidation query parameter.
    @Test func openAPIOffersFieldValidationOnPatch() async throws {
        let api = try await RouterFixture()
        let index = await api.send("GET", "/openapi/v3").json["paths"] as? [String: Any] ?? [:]
        let apps = try #require((index["apis/apps/v1"] as? [String: Any])?["serverRelativeURL"] as? String)
        #expect(apps.hasPrefix("/openapi/v3/apis/apps/v1?hash="))
        let document = await api.send("GET", apps).json
        let item = try #require(document.at("paths", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}") as? [String: Any])
        let patch = try #require(item["patch"] as? [String: Any])
        #expect(patch.at("x-kubernetes-group-version-kind", "kind") as? String == "Deployment")
        let parameters = (patch["parameters"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(parameters.contains("fieldValidation"))
        let content = patch.at("requestBody", "content") as? [String: Any] ?? [:]
        #expect(content["application/strategic-merge-patch+json"] == nil)
        #expect(await api.send("GET", "/openapi/v3/apis/nothing/v1").status == 404)
    }
}
