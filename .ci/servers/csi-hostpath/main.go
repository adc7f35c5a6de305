// csi-hostpath: a small CSI driver for kbackup's tests, with the storage model of the Kubernetes
// project's csi-driver-host-path (whose module the Go module proxy does not serve): a volume is a
// folder under --statedir, a snapshot is a gzipped tarball of that folder, and a volume created from
// a snapshot is that tarball unpacked into a new folder. Tests write bytes straight into a volume's
// folder (<statedir>/<volume id>/) and read them back from the restored one; nothing is mounted.
//
// It serves the CSI identity and controller services (create/delete volume, also from a snapshot
// or another volume; create/delete/list snapshot) and the node service's NodeGetInfo, on a unix
// socket, for the real external-provisioner and external-snapshotter sidecars. Its state (volumes,
// snapshots) is kept in <statedir>/state.json, so a restarted driver knows them again.
//
//	csi-hostpath --endpoint unix:///tmp/csi.sock --nodeid node-1 --statedir /tmp/state [--drivername hostpath.csi.k8s.io]
package main

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/container-storage-interface/spec/lib/go/csi"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"
)

const version = "1.0.0"

type volume struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Capacity int64  `json:"capacity"`
	// Source is the snapshot or volume id it was created from, if any
	Source     string `json:"source,omitempty"`
	SourceKind string `json:"sourceKind,omitempty"`
}

type snapshot struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	VolumeID string    `json:"volumeId"`
	Size     int64     `json:"size"`
	Created  time.Time `json:"created"`
}

type state struct {
	Volumes   map[string]*volume   `json:"volumes"`
	Snapshots map[string]*snapshot `json:"snapshots"`
}

type driver struct {
	csi.UnimplementedIdentityServer
	csi.UnimplementedControllerServer
	csi.UnimplementedNodeServer

	name, nodeID, dir string
	mu                sync.Mutex
	st                state
}

func main() {
	endpoint := flag.String("endpoint", "unix:///tmp/csi.sock", "CSI endpoint (unix://<path>)")
	nodeID := flag.String("nodeid", "", "node id")
	stateDir := flag.String("statedir", "/tmp/csi-hostpath-data", "folder of the volumes, snapshots and state.json")
	name := flag.String("drivername", "hostpath.csi.k8s.io", "the CSI driver name")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version)
		return
	}
	if *nodeID == "" {
		log.Fatal("--nodeid is required")
	}
	d := &driver{name: *name, nodeID: *nodeID, dir: *stateDir}
	if err := d.load(); err != nil {
		log.Fatalf("state in %s: %v", *stateDir, err)
	}
	sock := strings.TrimPrefix(*endpoint, "unix://")
	if sock == *endpoint {
		log.Fatalf("--endpoint must be unix://<path>, not %s", *endpoint)
	}
	_ = os.Remove(sock)
	lis, err := net.Listen("unix", sock)
	if err != nil {
		log.Fatalf("listen on %s: %v", sock, err)
	}
	srv := grpc.NewServer(grpc.UnaryInterceptor(logCalls))
	csi.RegisterIdentityServer(srv, d)
	csi.RegisterControllerServer(srv, d)
	csi.RegisterNodeServer(srv, d)
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
		<-sig
		srv.GracefulStop()
	}()
	log.Printf("csi-hostpath %s: driver %s, node %s, state in %s, serving %s", version, d.name, d.nodeID, d.dir, sock)
	if err := srv.Serve(lis); err != nil {
		log.Fatal(err)
	}
}

func logCalls(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
	resp, err := h(ctx, req)
	if err != nil {
		log.Printf("%s: error: %v", info.FullMethod, err)
	} else if !strings.Contains(info.FullMethod, "Probe") && !strings.Contains(info.FullMethod, "GetCapabilities") {
		log.Printf("%s: ok", info.FullMethod)
	}
	return resp, err
}

// ---------------------------------------------------------------- state

func (d *driver) load() error {
	if err := os.MkdirAll(d.dir, 0o755); err != nil {
		return err
	}
	d.st = state{Volumes: map[string]*volume{}, Snapshots: map[string]*snapshot{}}
	b, err := os.ReadFile(filepath.Join(d.dir, "state.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return json.Unmarshal(b, &d.st)
}

// save writes state.json (atomically); called with d.mu held
func (d *driver) save() error {
	b, err := json.MarshalIndent(d.st, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(d.dir, "state.json.tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(d.dir, "state.json"))
}

func (d *driver) volumePath(id string) string   { return filepath.Join(d.dir, id) }
func (d *driver) snapshotPath(id string) string { return filepath.Join(d.dir, id+".snap") }

func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// ---------------------------------------------------------------- identity

func (d *driver) GetPluginInfo(context.Context, *csi.GetPluginInfoRequest) (*csi.GetPluginInfoResponse, error) {
	return &csi.GetPluginInfoResponse{Name: d.name, VendorVersion: version}, nil
}

func (d *driver) GetPluginCapabilities(context.Context, *csi.GetPluginCapabilitiesRequest) (*csi.GetPluginCapabilitiesResponse, error) {
	return &csi.GetPluginCapabilitiesResponse{Capabilities: []*csi.PluginCapability{{
		Type: &csi.PluginCapability_Service_{Service: &csi.PluginCapability_Service{Type: csi.PluginCapability_Service_CONTROLLER_SERVICE}},
	}}}, nil
}

func (d *driver) Probe(context.Context, *csi.ProbeRequest) (*csi.ProbeResponse, error) {
	return &csi.ProbeResponse{}, nil
}

// ---------------------------------------------------------------- controller

func (d *driver) ControllerGetCapabilities(context.Context, *csi.ControllerGetCapabilitiesRequest) (*csi.ControllerGetCapabilitiesResponse, error) {
	var caps []*csi.ControllerServiceCapability
	for _, c := range []csi.ControllerServiceCapability_RPC_Type{
		csi.ControllerServiceCapability_RPC_CREATE_DELETE_VOLUME,
		csi.ControllerServiceCapability_RPC_CREATE_DELETE_SNAPSHOT,
		csi.ControllerServiceCapability_RPC_LIST_SNAPSHOTS,
		csi.ControllerServiceCapability_RPC_CLONE_VOLUME,
	} {
		caps = append(caps, &csi.ControllerServiceCapability{Type: &csi.ControllerServiceCapability_Rpc{
			Rpc: &csi.ControllerServiceCapability_RPC{Type: c}}})
	}
	return &csi.ControllerGetCapabilitiesResponse{Capabilities: caps}, nil
}

func (d *driver) CreateVolume(_ context.Context, req *csi.CreateVolumeRequest) (*csi.CreateVolumeResponse, error) {
	if req.GetName() == "" {
		return nil, status.Error(codes.InvalidArgument, "name missing")
	}
	if len(req.GetVolumeCapabilities()) == 0 {
		return nil, status.Error(codes.InvalidArgument, "volume capabilities missing")
	}
	capacity := req.GetCapacityRange().GetRequiredBytes()
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, v := range d.st.Volumes {
		if v.Name == req.GetName() {
			if v.Capacity < capacity {
				return nil, status.Errorf(codes.AlreadyExists, "volume %s exists with a smaller capacity", v.Name)
			}
			return &csi.CreateVolumeResponse{Volume: d.csiVolume(v, req.GetVolumeContentSource())}, nil
		}
	}
	v := &volume{ID: newID(), Name: req.GetName(), Capacity: capacity}
	path := d.volumePath(v.ID)
	if err := os.MkdirAll(path, 0o777); err != nil {
		return nil, status.Errorf(codes.Internal, "create folder of volume %s: %v", v.ID, err)
	}
	src := req.GetVolumeContentSource()
	switch {
	case src.GetSnapshot() != nil:
		s, ok := d.st.Snapshots[src.GetSnapshot().GetSnapshotId()]
		if !ok {
			_ = os.RemoveAll(path)
			return nil, status.Errorf(codes.NotFound, "snapshot %s does not exist", src.GetSnapshot().GetSnapshotId())
		}
		if s.Size > capacity {
			_ = os.RemoveAll(path)
			return nil, status.Errorf(codes.OutOfRange, "snapshot %s needs %d bytes, the volume asks for %d", s.ID, s.Size, capacity)
		}
		if err := untar(d.snapshotPath(s.ID), path); err != nil {
			_ = os.RemoveAll(path)
			return nil, status.Errorf(codes.Internal, "restore snapshot %s into volume %s: %v", s.ID, v.ID, err)
		}
		v.Source, v.SourceKind = s.ID, "snapshot"
	case src.GetVolume() != nil:
		from, ok := d.st.Volumes[src.GetVolume().GetVolumeId()]
		if !ok {
			_ = os.RemoveAll(path)
			return nil, status.Errorf(codes.NotFound, "volume %s does not exist", src.GetVolume().GetVolumeId())
		}
		tmp := filepath.Join(d.dir, v.ID+".clone.tgz")
		err := tarDir(d.volumePath(from.ID), tmp)
		if err == nil {
			err = untar(tmp, path)
		}
		_ = os.Remove(tmp)
		if err != nil {
			_ = os.RemoveAll(path)
			return nil, status.Errorf(codes.Internal, "clone volume %s: %v", from.ID, err)
		}
		v.Source, v.SourceKind = from.ID, "volume"
	}
	d.st.Volumes[v.ID] = v
	if err := d.save(); err != nil {
		return nil, status.Errorf(codes.Internal, "save state: %v", err)
	}
	log.Printf("created volume %s (%s, %d bytes)%s", v.ID, v.Name, v.Capacity, map[bool]string{true: " from " + v.SourceKind + " " + v.Source}[v.Source != ""])
	return &csi.CreateVolumeResponse{Volume: d.csiVolume(v, src)}, nil
}

func (d *driver) csiVolume(v *volume, src *csi.VolumeContentSource) *csi.Volume {
	return &csi.Volume{VolumeId: v.ID, CapacityBytes: v.Capacity, ContentSource: src}
}

func (d *driver) DeleteVolume(_ context.Context, req *csi.DeleteVolumeRequest) (*csi.DeleteVolumeResponse, error) {
	if req.GetVolumeId() == "" {
		return nil, status.Error(codes.InvalidArgument, "volume id missing")
	}
	id := req.GetVolumeId()
	return &csi.DeleteVolumeResponse{}, d.deleteStored("volume", id, func() error { return os.RemoveAll(d.volumePath(id)) },
		func() { delete(d.st.Volumes, id) })
}

// deleteStored removes the data of a volume or snapshot (what, id) with remove and its entry in the
// state with forget, under the lock, and saves the state; a failure is a gRPC Internal error.
func (d *driver) deleteStored(what, id string, remove func() error, forget func()) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := remove(); err != nil {
		return status.Errorf(codes.Internal, "delete %s %s: %v", what, id, err)
	}
	forget()
	if err := d.save(); err != nil {
		return status.Errorf(codes.Internal, "save state: %v", err)
	}
	log.Printf("deleted %s %s", what, id)
	return nil
}

func (d *driver) ValidateVolumeCapabilities(_ context.Context, req *csi.ValidateVolumeCapabilitiesRequest) (*csi.ValidateVolumeCapabilitiesResponse, error) {
	d.mu.Lock()
	_, ok := d.st.Volumes[req.GetVolumeId()]
	d.mu.Unlock()
	if !ok {
		return nil, status.Errorf(codes.NotFound, "volume %s does not exist", req.GetVolumeId())
	}
	return &csi.ValidateVolumeCapabilitiesResponse{Confirmed: &csi.ValidateVolumeCapabilitiesResponse_Confirmed{
		VolumeCapabilities: req.GetVolumeCapabilities()}}, nil
}

func (d *driver) CreateSnapshot(_ context.Context, req *csi.CreateSnapshotRequest) (*csi.CreateSnapshotResponse, error) {
	if req.GetName() == "" || req.GetSourceVolumeId() == "" {
		return nil, status.Error(codes.InvalidArgument, "name or source volume id missing")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, s := range d.st.Snapshots {
		if s.Name == req.GetName() {
			if s.VolumeID != req.GetSourceVolumeId() {
				return nil, status.Errorf(codes.AlreadyExists, "snapshot %s exists for another volume", s.Name)
			}
			return &csi.CreateSnapshotResponse{Snapshot: csiSnapshot(s)}, nil
		}
	}
	v, ok := d.st.Volumes[req.GetSourceVolumeId()]
	if !ok {
		return nil, status.Errorf(codes.NotFound, "source volume %s does not exist", req.GetSourceVolumeId())
	}
	s := &snapshot{ID: newID(), Name: req.GetName(), VolumeID: v.ID, Size: v.Capacity, Created: time.Now().UTC()}
	if err := tarDir(d.volumePath(v.ID), d.snapshotPath(s.ID)); err != nil {
		_ = os.Remove(d.snapshotPath(s.ID))
		return nil, status.Errorf(codes.Internal, "snapshot of volume %s: %v", v.ID, err)
	}
	d.st.Snapshots[s.ID] = s
	if err := d.save(); err != nil {
		return nil, status.Errorf(codes.Internal, "save state: %v", err)
	}
	log.Printf("created snapshot %s (%s) of volume %s", s.ID, s.Name, v.ID)
	return &csi.CreateSnapshotResponse{Snapshot: csiSnapshot(s)}, nil
}

func csiSnapshot(s *snapshot) *csi.Snapshot {
	return &csi.Snapshot{SnapshotId: s.ID, SourceVolumeId: s.VolumeID, SizeBytes: s.Size,
		CreationTime: timestamppb.New(s.Created), ReadyToUse: true}
}

func (d *driver) DeleteSnapshot(_ context.Context, req *csi.DeleteSnapshotRequest) (*csi.DeleteSnapshotResponse, error) {
	if req.GetSnapshotId() == "" {
		return nil, status.Error(codes.InvalidArgument, "snapshot id missing")
	}
	id := req.GetSnapshotId()
	remove := func() error {
		if err := os.Remove(d.snapshotPath(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	return &csi.DeleteSnapshotResponse{}, d.deleteStored("snapshot", id, remove, func() { delete(d.st.Snapshots, id) })
}

func (d *driver) ListSnapshots(_ context.Context, req *csi.ListSnapshotsRequest) (*csi.ListSnapshotsResponse, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []*csi.ListSnapshotsResponse_Entry
	ids := make([]string, 0, len(d.st.Snapshots))
	for id := range d.st.Snapshots {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		s := d.st.Snapshots[id]
		if req.GetSnapshotId() != "" && s.ID != req.GetSnapshotId() {
			continue
		}
		if req.GetSourceVolumeId() != "" && s.VolumeID != req.GetSourceVolumeId() {
			continue
		}
		out = append(out, &csi.ListSnapshotsResponse_Entry{Snapshot: csiSnapshot(s)})
	}
	return &csi.ListSnapshotsResponse{Entries: out}, nil
}

// ---------------------------------------------------------------- node (identity of the node only)

func (d *driver) NodeGetInfo(context.Context, *csi.NodeGetInfoRequest) (*csi.NodeGetInfoResponse, error) {
	return &csi.NodeGetInfoResponse{NodeId: d.nodeID}, nil
}

func (d *driver) NodeGetCapabilities(context.Context, *csi.NodeGetCapabilitiesRequest) (*csi.NodeGetCapabilitiesResponse, error) {
	return &csi.NodeGetCapabilitiesResponse{}, nil
}

// ---------------------------------------------------------------- tarballs

// tarDir writes the regular files and folders under dir into a gzipped tarball
func tarDir(dir, file string) error {
	if _, err := os.Stat(dir); err != nil {
		return err
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	defer f.Close()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	err = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() && !info.IsDir() {
			return nil // sockets, links: not volume data here
		}
		rel, _ := filepath.Rel(dir, p)
		h, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		h.Name = filepath.ToSlash(rel)
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if info.IsDir() {
			return nil
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		_, err = io.Copy(tw, in)
		return err
	})
	if err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	return f.Sync()
}

// untar unpacks a tarball of tarDir into dir
func untar(file, dir string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(h.Name))
		if !strings.HasPrefix(target, filepath.Clean(dir)+string(os.PathSeparator)) {
			return fmt.Errorf("entry %q leaves the volume", h.Name)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, os.FileMode(h.Mode)|0o700); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(target), 0o777); err != nil {
				return err
			}
			out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, os.FileMode(h.Mode))
			if err != nil {
				return err
			}
			if _, err := io.Copy(out, tr); err != nil {
				out.Close()
				return err
			}
			if err := out.Close(); err != nil {
				return err
			}
		}
	}
}
