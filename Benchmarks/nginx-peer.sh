# Sourced by the benchmarks: the nginx peer's configuration, the same for every comparison.
#
#   nginx_conf ROOT LISTEN KEEPALIVE_REQUESTS [SERVER_LINES]
#
# Prints an nginx.conf for one worker (access_log off, JSON by default) serving the files under ROOT (its logs
# and temp files go there too) on `listen LISTEN;`, closing a connection after KEEPALIVE_REQUESTS requests (set
# it to what recsmith allows, so neither side reconnects more often), with SERVER_LINES added to the server
# block. The files are answered for any query string; /users/* all get /users/u42/recommendations.
nginx_conf() {
    local root=$1 listen=$2 requests=$3 extra=${4:-}
    cat <<CONF
worker_processes 1;
daemon off;
pid $root/nginx.pid;
error_log $root/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests $requests;
    default_type application/json;
    client_body_temp_path $root/body;
    proxy_temp_path $root/proxy;
    fastcgi_temp_path $root/fastcgi;
    uwsgi_temp_path $root/uwsgi;
    scgi_temp_path $root/scgi;
    server {
        listen $listen;
$extra
        root $root;
        location /users/ { try_files /users/u42/recommendations =404; }
        location / { try_files \$uri =404; }
    }
}
CONF
}
