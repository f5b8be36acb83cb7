import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('staff', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ClientTier',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=20, unique=True, verbose_name='级别代码')),
                ('name', models.CharField(max_length=20, unique=True, verbose_name='客户级别')),
                ('rank', models.PositiveSmallIntegerField(default=0, help_text='数字越小越重要', verbose_name='排序')),
                ('visit_interval_days', models.PositiveSmallIntegerField(help_text='至少每隔多少天走访一次', verbose_name='走访周期（天）')),
                ('min_assets', models.DecimalField(blank=True, decimal_places=2, max_digits=16, null=True, verbose_name='资产门槛（元）')),
                ('is_active', models.BooleanField(default=True, verbose_name='在用')),
            ],
            options={
                'verbose_name': '客户级别',
                'verbose_name_plural': '客户级别',
                'ordering': ['rank', 'code'],
            },
        ),
        migrations.CreateModel(
            name='Client',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('crm_code', models.CharField(error_messages={'unique': '该客户号已存在。'}, max_length=30, unique=True, verbose_name='客户号')),
                ('name', models.CharField(db_index=True, max_length=100, verbose_name='客户名称')),
                ('kind', models.CharField(choices=[('person', '个人'), ('institution', '机构')], default='person', max_length=12, verbose_name='客户类型')),
                ('status', models.CharField(choices=[('active', '正常'), ('dormant', '休眠'), ('closed', '已销户')], db_index=True, default='active', max_length=10, verbose_name='状态')),
                ('opened_on', models.DateField(blank=True, null=True, verbose_name='开户日期')),
                ('phone', models.CharField(blank=True, max_length=30, verbose_name='联系电话')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='联系地址')),
                ('profile', models.TextField(blank=True, verbose_name='客户概况')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='建档时间')),
                ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='clients', to='staff.branch', verbose_name='营业部')),
                ('group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='clients', to='staff.group', verbose_name='小组')),
                ('manager', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='clients', to=settings.AUTH_USER_MODEL, verbose_name='客户经理')),
                ('outlet', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='clients', to='staff.outlet', verbose_name='网点')),
                ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='clients', to='staff.team', verbose_name='团队')),
                ('tier', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='clients', to='clients.clienttier', verbose_name='客户级别')),
            ],
            options={
                'verbose_name': '客户',
                'verbose_name_plural': '客户',
                'ordering': ['crm_code'],
                'indexes': [models.Index(fields=['branch', 'team'], name='client_branch_team'), models.Index(fields=['manager', 'status'], name='client_manager_status')],
            },
        ),
        migrations.CreateModel(
            name='HistoricalClient',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('crm_code', models.CharField(db_index=True, error_messages={'unique': '该客户号已存在。'}, max_length=30, verbose_name='客户号')),
                ('name', models.CharField(db_index=True, max_length=100, verbose_name='客户名称')),
                ('kind', models.CharField(choices=[('person', '个人'), ('institution', '机构')], default='person', max_length=12, verbose_name='客户类型')),
                ('status', models.CharField(choices=[('active', '正常'), ('dormant', '休眠'), ('closed', '已销户')], db_index=True, default='active', max_length=10, verbose_name='状态')),
                ('opened_on', models.DateField(blank=True, null=True, verbose_name='开户日期')),
                ('phone', models.CharField(blank=True, max_length=30, verbose_name='联系电话')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='联系地址')),
                ('profile', models.TextField(blank=True, verbose_name='客户概况')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='建档时间')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('branch', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='staff.branch', verbose_name='营业部')),
                ('group', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='staff.group', verbose_name='小组')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('manager', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='客户经理')),
                ('outlet', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='staff.outlet', verbose_name='网点')),
                ('team', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='staff.team', verbose_name='团队')),
                ('tier', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='clients.clienttier', verbose_name='客户级别')),
            ],
            options={
                'verbose_name': '客户变更记录',
                'verbose_name_plural': 'historical 客户',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalClientAssignment',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('valid_from', models.DateField(verbose_name='起始日期')),
                ('valid_to', models.DateField(blank=True, null=True, verbose_name='截止日期（不含）')),
                ('source', models.CharField(choices=[('import', 'CRM 导入'), ('slip', '客户确认单'), ('reassignment', '调整分配'), ('initial', '建档')], max_length=15, verbose_name='来源')),
                ('reason', models.CharField(blank=True, max_length=200, verbose_name='原因')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='记录时间')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('branch', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='staff.branch', verbose_name='营业部')),
                ('client', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='clients.client', verbose_name='客户')),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('manager', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='客户经理')),
                ('team', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='staff.team', verbose_name='团队')),
            ],
            options={
                'verbose_name': '归属变更记录',
                'verbose_name_plural': 'historical 客户归属',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='ClientAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('valid_from', models.DateField(verbose_name='起始日期')),
                ('valid_to', models.DateField(blank=True, null=True, verbose_name='截止日期（不含）')),
                ('source', models.CharField(choices=[('import', 'CRM 导入'), ('slip', '客户确认单'), ('reassignment', '调整分配'), ('initial', '建档')], max_length=15, verbose_name='来源')),
                ('reason', models.CharField(blank=True, max_length=200, verbose_name='原因')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='记录时间')),
                ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.branch', verbose_name='营业部')),
                ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='clients.client', verbose_name='客户')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                ('manager', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='client_assignments', to=settings.AUTH_USER_MODEL, verbose_name='客户经理')),
                ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.team', verbose_name='团队')),
            ],
            options={
                'verbose_name': '客户归属',
                'verbose_name_plural': '客户归属',
                'ordering': ['client', 'valid_from', 'id'],
                'indexes': [models.Index(fields=['manager', 'valid_from'], name='assignment_mgr_from')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('valid_to__isnull', True)), fields=('client',), name='client_assignment_one_open'), models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_to__gte', models.F('valid_from')), _connector='OR'), name='client_assignment_dates_order')],
            },
        ),
    ]
