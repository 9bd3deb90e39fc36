"""Drives a Skiff API server with the official Python client, as a user's program
would: CRUD, a paged list and a watch. Exits non-zero with the reason on the first
thing that does not behave as against kube-apiserver.

Usage: client_check.py KUBECONFIG NAMESPACE
"""
import sys
import threading

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException


def main(kubeconfig, namespace):
    config.load_kube_config(config_file=kubeconfig)
    core = client.CoreV1Api()
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=namespace)))

    # CRUD
    body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="settings"), data={"mode": "fast"})
    created = core.create_namespaced_config_map(namespace, body)
    assert created.metadata.uid, "created object has a uid"
    read = core.read_namespaced_config_map("settings", namespace)
    assert read.data == {"mode": "fast"}, read.data
    read.data["mode"] = "slow"
    replaced = core.replace_namespaced_config_map("settings", namespace, read)
    assert int(replaced.metadata.resource_version) > int(created.metadata.resource_version)
    patched = core.patch_namespaced_config_map("settings", namespace, {"metadata": {"labels": {"app": "web"}}})
    assert patched.metadata.labels == {"app": "web"}, patched.metadata.labels
    try:
        read.metadata.resource_version = created.metadata.resource_version
        core.replace_namespaced_config_map("settings", namespace, read)
        raise AssertionError("a stale update was accepted")
    except ApiException as error:
        assert error.status == 409, error
    core.delete_namespaced_config_map("settings", namespace)
    try:
        core.read_namespaced_config_map("settings", namespace)
        raise AssertionError("a deleted object is still there")
    except ApiException as error:
        assert error.status == 404, error

    # A paged list sees every object once.
    for index in range(5):
        core.create_namespaced_config_map(
            namespace, client.V1ConfigMap(metadata=client.V1ObjectMeta(name=f"page-{index}")))
    names, token, pages = [], None, 0
    while True:
        page = core.list_namespaced_config_map(namespace, limit=2, _continue=token)
        names += [item.metadata.name for item in page.items]
        pages += 1
        token = page.metadata._continue
        if not token:
            break
    assert names == [f"page-{index}" for index in range(5)], names
    assert pages == 3, pages

    # A watch from a list's resourceVersion sees create, update and delete in order.
    start = core.list_namespaced_config_map(namespace).metadata.resource_version
    seen = []
    ready = threading.Event()

    def follow():
        stream = watch.Watch()
        ready.set()
        for event in stream.stream(core.list_namespaced_config_map, namespace,
                                   resource_version=start, timeout_seconds=20):
            if event["object"].metadata.name == "watched":
                seen.append(event["type"])
            if len(seen) == 3:
                stream.stop()

    follower = threading.Thread(target=follow)
    follower.start()
    ready.wait()
    core.create_namespaced_config_map(namespace, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="watched")))
    core.patch_namespaced_config_map("watched", namespace, {"data": {"a": "b"}})
    core.delete_namespaced_config_map("watched", namespace)
    follower.join(30)
    assert seen == ["ADDED", "MODIFIED", "DELETED"], seen
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
