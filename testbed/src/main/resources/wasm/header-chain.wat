;; proxy-wasm HTTP plugin: appends its plugin configuration text to the request header
;; `x-wasmplane-chain`, one header line per plugin, so the order of plugins is visible upstream.
;; A configuration that starts with `{"trap":` makes it trap on every request instead, so one
;; module can back both a healthy and a failing plugin.
(module
  (import "env" "proxy_get_buffer_bytes"
    (func $get_buffer_bytes (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value"
    (func $add_header (param i32 i32 i32 i32 i32) (result i32)))

  (memory (export "memory") 2)
  ;; Bytes 0..15 are scratch slots for host return values; the header name follows.
  (data (i32.const 16) "x-wasmplane-chain")
  (global $heap (mut i32) (i32.const 4096))
  (global $config_ptr (mut i32) (i32.const 0))
  (global $config_len (mut i32) (i32.const 0))

  (func (export "proxy_abi_version_0_2_1"))

  ;; Bump allocator; the host calls it to hand buffers to the plugin.
  (func $alloc (export "proxy_on_memory_allocate") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap
      (i32.and (i32.add (i32.add (local.get $p) (local.get $size)) (i32.const 7)) (i32.const -8)))
    (if (i32.gt_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536)))
      (then
        (drop (memory.grow
          (i32.add (i32.const 1)
            (i32.div_u (i32.sub (global.get $heap) (i32.mul (memory.size) (i32.const 65536)))
                       (i32.const 65536)))))))
    (local.get $p))

  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))

  (func (export "proxy_on_configure") (param $ctx i32) (param $size i32) (result i32)
    (global.set $config_len (i32.const 0))
    (if (i32.eqz (local.get $size)) (then (return (i32.const 1))))
    ;; buffer type 7 = plugin configuration
    (drop (call $get_buffer_bytes (i32.const 7) (i32.const 0) (local.get $size)
                                  (i32.const 0) (i32.const 8)))
    (global.set $config_ptr (i32.load (i32.const 0)))
    (global.set $config_len (i32.load (i32.const 8)))
    (i32.const 1))

  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    ;; `{"trap":` read as a little-endian i64
    (if (i32.ge_u (global.get $config_len) (i32.const 8))
      (then
        (if (i64.eq (i64.load (global.get $config_ptr)) (i64.const 0x3A2270617274227B))
          (then unreachable))))
    ;; map type 0 = request headers
    (drop (call $add_header (i32.const 0) (i32.const 16) (i32.const 17)
                            (global.get $config_ptr) (global.get $config_len)))
    (i32.const 0))

  (func (export "proxy_on_done") (param i32) (result i32) (i32.const 1))
  (func (export "proxy_on_delete") (param i32)))
