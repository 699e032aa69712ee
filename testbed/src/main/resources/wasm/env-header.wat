;; proxy-wasm HTTP plugin: puts the VM's environment (vmConfig.env) into the request header
;; `x-wasmplane-env`, as `NAME=value` pairs joined by `;`.
(module
  (import "wasi_snapshot_preview1" "environ_sizes_get"
    (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get"
    (func $environ_get (param i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value"
    (func $add_header (param i32 i32 i32 i32 i32) (result i32)))

  (memory (export "memory") 2)
  (data (i32.const 16) "x-wasmplane-env")
  (global $heap (mut i32) (i32.const 4096))

  (func (export "proxy_abi_version_0_2_1"))

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
  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1))

  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (local $mark i32) (local $count i32) (local $size i32) (local $ptrs i32) (local $buf i32)
    (local $i i32)
    (local.set $mark (global.get $heap))
    ;; slots: 0 = count, 8 = total size of NAME=value\0 strings
    (drop (call $environ_sizes_get (i32.const 0) (i32.const 8)))
    (local.set $count (i32.load (i32.const 0)))
    (local.set $size (i32.load (i32.const 8)))
    (if (i32.gt_u (local.get $size) (i32.const 1))
      (then
        (local.set $ptrs (call $alloc (i32.mul (i32.add (local.get $count) (i32.const 1)) (i32.const 4))))
        (local.set $buf (call $alloc (local.get $size)))
        (drop (call $environ_get (local.get $ptrs) (local.get $buf)))
        ;; NUL separators become ';' (the final NUL is dropped from the length)
        (local.set $i (i32.const 0))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $size)))
            (if (i32.eqz (i32.load8_u (i32.add (local.get $buf) (local.get $i))))
              (then (i32.store8 (i32.add (local.get $buf) (local.get $i)) (i32.const 59))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        (drop (call $add_header (i32.const 0) (i32.const 16) (i32.const 15)
                                (local.get $buf) (i32.sub (local.get $size) (i32.const 1))))))
    (global.set $heap (local.get $mark))
    (i32.const 0))

  (func (export "proxy_on_done") (param i32) (result i32) (i32.const 1))
  (func (export "proxy_on_delete") (param i32)))
