import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0002_seed_tiers'),
        ('staff', '0002_seed_calendar_departments_levels'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CrmImport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='该月第一天', verbose_name='月份')),
                ('version', models.PositiveSmallIntegerField(verbose_name='版本')),
                ('status', models.CharField(choices=[('current', '当前版本'), ('superseded', '已被新版本替代')], default='current', max_length=12, verbose_name='状态')),
                ('row_count', models.PositiveIntegerField(default=0, verbose_name='行数')),
                ('imported_at', models.DateTimeField(auto_now_add=True, verbose_name='导入时间')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='复核时间')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                ('imported_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='导入人')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='复核人')),
            ],
            options={
                'verbose_name': 'CRM 数据导入',
                'verbose_name_plural': 'CRM 数据导入',
                'ordering': ['-month', '-version'],
                'constraints': [models.UniqueConstraint(fields=('month', 'version'), name='crm_import_month_version'), models.UniqueConstraint(condition=models.Q(('status', 'current')), fields=('month',), name='crm_import_one_current')],
            },
        ),
        migrations.CreateModel(
            name='CrmFigure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='月份')),
                ('net_revenue', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='净收入（元）')),
                ('month_end_assets', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='月末资产（元）')),
                ('new_account', models.BooleanField(default=False, verbose_name='当月新开户')),
                ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.branch', verbose_name='营业部')),
                ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='figures', to='clients.client', verbose_name='客户')),
                ('manager', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='crm_figures', to=settings.AUTH_USER_MODEL, verbose_name='客户经理')),
                ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.team', verbose_name='团队')),
                ('crm_import', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='figures', to='clients.crmimport', verbose_name='导入批次')),
            ],
            options={
                'verbose_name': '客户月度业绩',
                'verbose_name_plural': '客户月度业绩',
                'indexes': [models.Index(fields=['crm_import', 'manager'], name='crm_figure_import_manager'), models.Index(fields=['month', 'manager'], name='crm_figure_month_manager')],
                'constraints': [models.UniqueConstraint(fields=('crm_import', 'client'), name='crm_figure_once_per_import')],
            },
        ),
    ]
