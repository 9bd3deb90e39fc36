import Foundation
import SkiffAPI
import Testing

@testable import SkiffAPIServer

/// Subresources and collection verbs through the routes.
@Suite struct RouterSubresourceTests {
    let pod = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}"#

    @Test func bindThenEvictAPod() async throws {
        let api = try await RouterFixture()
        #expect(await api.send("POST", "/api/v1/namespaces/default/pods", body: pod).status == 201)
        let binding = #"{"apiVersion":"v1","kind":"Binding","metadata":{"name":"web"},"target":{"kind":"Node","name":"node-1"}}"#
        let bound = await api.send("POST", "/api/v1/namespaces/default/pods/web/binding", body: binding)
        #expect(bound.status == 201 && bound.json["status"] as? String == "Success", "\(bound.text)")
        let read = await api.send("GET", "/api/v1/namespaces/default/pods/web")
        #expect(read.json.at("spec", "nodeName") as? String == "node-1")

        let onNode = await api.send("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1")
        #expect((onNode.json["items"] as? [Any])?.count == 1, "\(onNode.text)")

        let eviction = #"{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"web","namespace":"default"},"deleteOptions":{"gracePeriodSeconds":0}}"#
        let evicted = await api.send("POST", "/api/v1/namespaces/default/pods/web/eviction", body: eviction)
        #expect(evicted.status == 201, "\(evicted.text)")
        #expect(await api.send("GET", "/api/v1/namespaces/default/pods/web").status == 404)
    }

    @Test func statusUpdatesLeaveTheSpecAndSpecUpdatesTheStatus() async throws {
        let api = try await RouterFixture()
        await api.send("POST", "/api/v1/namespaces/default/pods", body: pod)
        let status = await api.send(
            "PATCH", "/api/v1/namespaces/default/pods/web/status",
            body: #"{"status":{"phase":"Running"},"spec":{"activeDeadlineSeconds":5}}"#,
            contentType: "application/merge-patch+json")
        #expect(status.status == 200, "\(status.text)")
        #expect(status.json.at("status", "phase") as? String == "Running")
        #expect(status.json.at("spec", "activeDeadlineSeconds") == nil)
        let spec = await api.send(
            "PATCH", "/api/v1/namespaces/default/pods/web", body: #"{"status":{"phase":"Failed"}}"#,
            contentType: "application/merge-patch+json")
        #expect(spec.json.at("status", "phase") as? String == "Running")
    }

    @Test func deleteCollectionBySelector() async throws {
        let api = try await RouterFixture()
        for name in ["a", "b", "c"] {
            let labels = name == "c" ? #"{"keep":"yes"}"# : #"{"keep":"no"}"#
            await api.send(
                "POST", "/api/v1/namespaces/default/configmaps",
                body: #"{"metadata":{"name":"\#(name)","labels":\#(labels)}}"#)
        }
        let deleted = await api.send("DELETE", "/api/v1/namespaces/default/configmaps?labelSelector=keep%3Dno")
        #expect(deleted.status == 200 && (deleted.json["items"] as? [Any])?.count == 2, "\(deleted.text)")
        let left = await api.send("GET", "/api/v1/namespaces/default/configmaps")
        let names = (left.json["items"] as? [[String: Any]] ?? []).compactMap { $0.at("metadata", "name") as? String }
        #expect(names == ["c"])
    }

    @Test func dryRunWritesNothing() async throws {
        let api = try await RouterFixture()
        let before = try await api.storeContents()
        let created = await api.send("POST", "/api/v1/namespaces/default/pods?dryRun=All", body: pod)
        #expect(created.status == 201 && created.json.at("metadata", "uid") != nil, "\(created.text)")
        let badDryRun = await api.send("POST", "/api/v1/namespaces/default/pods?dryRun=Some", body: pod)
        #expect(badDryRun.status == 422)
        #expect(try await api.storeContents() == before)
    }

    @Test func theURLsNameAndNamespaceWinOverMismatchedBodies() async throws {
        let api = try await RouterFixture()
        await api.send("POST", "/api/v1/namespaces/default/pods", body: pod)
        let before = try await api.storeContents()
        let renamed = pod.replacingOccurrences(of: #""name":"web""#, with: #""name":"other""#)
        let put = await api.send("PUT", "/api/v1/namespaces/default/pods/web", body: renamed)
        #expect(put.status == 400 && put.message.contains("does not match the name on the URL"), "\(put.text)")
        let elsewhere = pod.replacingOccurrences(of: #""name":"web""#, with: #""name":"web","namespace":"kube-system""#)
        let post = await api.send("POST", "/api/v1/namespaces/default/pods", body: elsewhere)
        #expect(post.status == 400, "\(post.text)")
        #expect(try await api.storeContents() == before)
    }

    @Test func listsPageWithContinueTokensAndServeFromTheCacheAtZero() async throws {
        let api = try await RouterFixture()
        for index in 0..<5 {
            await api.send("POST", "/api/v1/namespaces/default/configmaps", body: #"{"metadata":{"name":"cm-\#(index)"}}"#)
        }
        var names: [String] = []
        var token: String?
        repeat {
            let suffix = token.map { "&continue=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" } ?? ""
            let page = await api.send("GET", "/api/v1/namespaces/default/configmaps?limit=2" + suffix)
            names += (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0.at("metadata", "name") as? String }
            token = page.json.at("metadata", "continue") as? String
        } while token != nil && names.count < 10
        #expect(names == (0..<5).map { "cm-\($0)" })

        try await eventually {
            let cached = await api.send("GET", "/api/v1/namespaces/default/configmaps?resourceVersion=0")
            return (cached.json["items"] as? [Any])?.count == 5
        }
    }
}
