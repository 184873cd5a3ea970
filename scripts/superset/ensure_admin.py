"""Create the admin, or reset its password to $SUPERSET_ADMIN_PASSWORD when it exists (no change when equal).

Runs inside the Superset venv; `superset fab create-admin` fails on an existing user,
so the app's security manager is used directly (one process, a second or two).
"""

import os
import sys

username = os.environ.get("SUPERSET_ADMIN_USER", "admin")
password = os.environ.get("SUPERSET_ADMIN_PASSWORD")
if not password:
    sys.exit("错误：未设置 SUPERSET_ADMIN_PASSWORD")

from superset.app import create_app  # noqa: E402

app = create_app()
with app.app_context():
    from werkzeug.security import check_password_hash

    from superset import db, security_manager

    user = security_manager.find_user(username=username)
    if user is None:
        role = security_manager.find_role("Admin")
        created = security_manager.add_user(
            username, "职称", "管理员", f"{username}@localhost", role, password=password
        )
        if not created:
            sys.exit(f"错误：无法创建管理员 {username}")
        print(f"已创建管理员 {username}")
    elif not check_password_hash(user.password, password):
        security_manager.reset_password(user.id, password)
        print(f"已将管理员 {username} 的口令更新为环境中的口令")
    else:
        print(f"管理员 {username} 已存在，口令未变")
    db.session.commit()
