;; proxy-wasm NETWORK plugin: prefixes every chunk of downstream data with its plugin
;; configuration text, so an echoing upstream shows which network plugins ran, in order.
(module
  (import "env" "proxy_get_buffer_bytes"
    (func $get_buffer_bytes (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_buffer_bytes"
    (func $set_buffer_bytes (param i32 i32 i32 i32 i32) (result i32)))

  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 4096))
  (global $config_ptr (mut i32) (i32.const 0))
  (global $config_len (mut i32) (i32.const 0))

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

  (func (export "proxy_on_configure") (param $ctx i32) (param $size i32) (result i32)
    (global.set $config_len (i32.const 0))
    (if (i32.eqz (local.get $size)) (then (return (i32.const 1))))
    (drop (call $get_buffer_bytes (i32.const 7) (i32.const 0) (local.get $size)
                                  (i32.const 0) (i32.const 8)))
    (global.set $config_ptr (i32.load (i32.const 0)))
    (global.set $config_len (i32.load (i32.const 8)))
    (i32.const 1))

  (func (export "proxy_on_new_connection") (param i32) (result i32) (i32.const 0))

  (func (export "proxy_on_downstream_data") (param i32 i32 i32) (result i32)
    (if (i32.gt_u (local.get 1) (i32.const 0))
      (then
        ;; buffer type 2 = downstream data; start 0, length 0 prepends
        (drop (call $set_buffer_bytes (i32.const 2) (i32.const 0) (i32.const 0)
                                      (global.get $config_ptr) (global.get $config_len)))))
    (i32.const 0))

  (func (export "proxy_on_upstream_data") (param i32 i32 i32) (result i32) (i32.const 0))
  (func (export "proxy_on_downstream_connection_close") (param i32 i32))
  (func (export "proxy_on_upstream_connection_close") (param i32 i32))
  (func (export "proxy_on_done") (param i32) (result i32) (i32.const 1))
  (func (export "proxy_on_delete") (param i32)))
